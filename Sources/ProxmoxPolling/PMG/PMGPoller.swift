package import Foundation

/// What one poll of a Proxmox Mail Gateway saw.
package struct PMGPollResult: Sendable {
    package var version: PMGAPI.Version?
    var members: [PMGAPI.ClusterMember] = []
    /// Per member: its postfix queues, or nil when the member did not answer.
    var queues: [String: [PMGAPI.Queue]] = [:]
    var mail: PMGAPI.MailStatistics?
    package var mailCount: [PMGAPI.MailStatistics] = []
    var spamScores: [PMGAPI.SpamScore] = []
    var spamQuarantine: PMGAPI.QuarantineStatus?
    var virusQuarantine: PMGAPI.QuarantineStatus?
    /// `cluster`, `queues:<node>`, `mail-statistics`, `quarantine`: a failed one is shown as failed.
    package var parts = PollParts()
    package var requests = 0
}

/// One poll cycle of a PMG instance: version, cluster members and their postfix queues, mail
/// statistics of the last 24 hours with hourly counts, the spam score distribution and the
/// quarantines. `/version` failing fails the poll.
package struct PMGPoller: Sendable {
    package let client: any ProxmoxClient
    /// The window of the mail statistics.
    package var timeframe: TimeInterval = 86_400

    func poll(now: Date) async throws -> PMGPollResult {
        let counted = CountingProxmoxClient(client)
        var result = PMGPollResult()
        result.version = try await counted.get("/version", PMGAPI.Version.self)
        result.members = await result.parts.read("cluster") { try await counted.get("/config/cluster/status", [PMGAPI.ClusterMember].self) } ?? []
        for member in result.members {
            result.queues[member.name] = await result.parts.read("queues:\(member.name)") {
                try await counted.get("/nodes/\(member.name)/postfix/queue", [PMGAPI.Queue].self)
            }
        }
        let end = Int(now.timeIntervalSince1970)
        let start = end - Int(timeframe)
        let window = "starttime=\(start)&endtime=\(end)"
        result.mail = await result.parts.read("mail-statistics") { try await counted.get("/statistics/mail?\(window)", PMGAPI.MailStatistics.self) }
        result.mailCount =
            await result.parts.read("mail-statistics") {
                try await counted.get("/statistics/mailcount?\(window)&timespan=3600", [PMGAPI.MailStatistics].self)
            } ?? []
        result.spamScores =
            await result.parts.read("mail-statistics") { try await counted.get("/statistics/spamscores?\(window)", [PMGAPI.SpamScore].self) } ?? []
        result.spamQuarantine = await result.parts.read("quarantine") {
            try await counted.get("/quarantine/spamstatus", PMGAPI.QuarantineStatus.self)
        }
        result.virusQuarantine = await result.parts.read("quarantine") {
            try await counted.get("/quarantine/virusstatus", PMGAPI.QuarantineStatus.self)
        }
        try Task.checkCancellation()  // a cancelled poll is not half a result
        result.requests = counted.count
        return result
    }
}

package import AgentProtocol
package import Foundation
import PulseSupport

/// What accepting a host report produced.
package struct HostIngestOutcome: Sendable {
    package let hostID: String
    /// Server receive time, the `lastSeen` the agent is told.
    package let lastSeen: Date
    /// True when the report repeated the previous one (same agent and sequence/timestamp) and
    /// was acknowledged without changing anything.
    let duplicate: Bool
    /// What the reply tells the agent (`HostAgentControl.agentConfig`); nil when nothing is held.
    package var config: HostAgentConfig? = nil
    /// True for the first report of a host the server did not hold.
    package var isNew = false
}

extension MonitoringState {
    /// Accepts a validated host report delivered with `token` at `receivedAt`.
    package func ingest(host report: HostReport, token: ReportingToken?, receivedAt: Date) throws -> HostIngestOutcome {
        let id = resolveHostID(for: report, token: token)
        if let block = removed[AgentRef(kind: .host, id: id).key], block.blocks(at: receivedAt) {
            throw Self.removedError(kind: "Host", name: report.host.hostname, block: block)
        }
        let previous = hosts[id]
        if let previous {
            try requireOwnership(of: previous.token, kind: "Host", id: id, by: token)
        } else {
            try requireRoomForNewRecord(token: token)
        }
        if let previous, Self.isRepeat(previous.report, report) {
            return HostIngestOutcome(hostID: id, lastSeen: previous.receivedAt, duplicate: true, config: agentConfig(ofHost: id))
        }
        var record = HostAgentRecord(
            id: id, report: report, receivedAt: receivedAt, token: token,
            customDisplayName: previous?.customDisplayName)
        record.reportsReceived = (previous?.reportsReceived ?? 0) + 1
        if let previous {
            let elapsed = CounterRate.elapsed(
                previousReported: previous.report.timestamp, currentReported: report.timestamp,
                previousReceived: previous.receivedAt, currentReceived: receivedAt)
            record.diskRates = CounterRate.disk(previous: previous.report.diskIO ?? [], current: report.diskIO ?? [], elapsed: elapsed)
            record.networkRates = CounterRate.network(
                previous: previous.report.network ?? [], current: report.network ?? [], elapsed: elapsed)
        }
        hosts[id] = record
        if previous?.hostname != record.hostname || previous?.report.host.machineId != report.host.machineId { learnNodeLinks() }
        knownStatus["host-\(id)"] = .online
        if let token { hostBindings[Self.bindingKey(tokenID: token.id, hostname: report.host.hostname)] = id }
        pendingWrites.records.insert(AgentRef(kind: .host, id: id))
        didChange()
        return HostIngestOutcome(hostID: id, lastSeen: receivedAt, duplicate: false, config: agentConfig(ofHost: id), isNew: previous == nil)
    }

    /// Pulse's host identity: the token+hostname binding first, then the base ID unless another
    /// machine already holds it, in which case a deterministic suffixed ID. The same machine
    /// reported with another token resolves to the base ID, and `ingest` refuses it there.
    func resolveHostID(for report: HostReport, token: ReportingToken?) -> String {
        let hostname = report.host.hostname
        if let token, let bound = hostBindings[Self.bindingKey(tokenID: token.id, hostname: hostname)] {
            return bound
        }
        let base = AgentIdentity.hostBaseID(report)
        guard let holder = hosts[base], holder.hostname.lowercased() != hostname.lowercased() else { return base }
        return AgentIdentity.hostCollisionID(base: base, tokenID: token?.id, hostname: hostname)
    }

    package static func bindingKey(tokenID: String, hostname: String) -> String {
        "\(tokenID):\(hostname.lowercased())"
    }

    /// A heartbeat the agent sent twice (retry after a lost reply, or fan-out to several servers).
    static func isRepeat(_ previous: HostReport, _ current: HostReport) -> Bool {
        guard previous.agent.id == current.agent.id else { return false }
        if let sequence = current.sequenceId, !sequence.isEmpty { return sequence == previous.sequenceId }
        return !current.timestamp.isGoZeroTime && current.timestamp == previous.timestamp
    }

    static func removedError(kind: String, name: String, block: RemovedAgent) -> DomainError {
        DomainError(
            .invalid, code: .invalidReport,
            message:
                "\(kind) \(name) was removed by an administrator; reports are refused until \(RFC3339.format(block.blockedUntil) ?? "later") unless re-enrolment is allowed",
            details: ["id": block.id])
    }
}

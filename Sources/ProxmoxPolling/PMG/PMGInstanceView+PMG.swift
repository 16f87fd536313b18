package import Foundation
import PulseCore
import PulseSupport

extension PMGInstanceView {
    package init(_ result: PMGPollResult, instance: ProxmoxInstance, polledAt: Date) {
        self.init()
        id = "pmg-\(instance.name)"
        name = instance.name
        host = instance.host
        status = "online"
        version = result.version?.version ?? ""
        nodes =
            result.members.map { member in
                let queues = result.queues[member.name]
                func count(_ name: String) -> Int { queues?.first { $0.queue == name }?.count.int ?? 0 }
                return Member(
                    name: member.name, status: queues == nil ? "offline" : "online", role: member.type,
                    queueStatus: queues.map { _ in
                        QueueStatus(
                            active: count("active"), deferred: count("deferred"), hold: count("hold"), incoming: count("incoming"),
                            total: count("active") + count("deferred") + count("hold") + count("incoming"), oldestAge: 0)
                    })
            }.nilIfEmpty
        mailStats = result.mail.map { mail in
            MailStats(
                timeframe: "day", countTotal: mail.count.double, countIn: mail.count_in.double, countOut: mail.count_out.double,
                spamIn: mail.spamcount_in.double, spamOut: mail.spamcount_out.double, virusIn: mail.viruscount_in.double,
                virusOut: mail.viruscount_out.double, bouncesIn: mail.bounces_in.double, bouncesOut: mail.bounces_out.double,
                bytesIn: mail.bytes_in.double, bytesOut: mail.bytes_out.double, greylistCount: mail.glcount.double,
                junkIn: mail.junk_in.double, averageProcessTimeMs: mail.avptime.double * 1000, rblRejects: mail.rbl_rejects.double,
                pregreetRejects: mail.pregreet_rejects.double, updatedAt: polledAt)
        }
        mailCount =
            result.mailCount.map { point in
                MailCountPoint(
                    timestamp: Date(timeIntervalSince1970: point.time.double), count: point.count.double, countIn: point.count_in.double,
                    countOut: point.count_out.double, spamIn: point.spamcount_in.double, spamOut: point.spamcount_out.double,
                    virusIn: point.viruscount_in.double, virusOut: point.viruscount_out.double, bouncesIn: point.bounces_in.double,
                    bouncesOut: point.bounces_out.double, timeframe: "hour")
            }.nilIfEmpty
        spamDistribution = result.spamScores.map { SpamBucket(score: String(Int(saturating: $0.level.double)), count: $0.count.int) }.nilIfEmpty
        if result.spamQuarantine != nil || result.virusQuarantine != nil {
            quarantine = Quarantine(
                spam: result.spamQuarantine?.count.int ?? 0, virus: result.virusQuarantine?.count.int ?? 0, attachment: 0, blacklisted: 0)
        }
        connectionHealth = "healthy"
        lastSeen = polledAt
        lastUpdated = polledAt
    }
}

package import Foundation

/// A PMG instance in `/api/state` `pmg[]` (Pulse's raw model: times in RFC 3339).
package struct PMGInstanceView: Encodable, Sendable {
    package struct QueueStatus: Encodable, Sendable {
        package var active: Int
        package var deferred: Int
        package var hold: Int
        package var incoming: Int
        package var total: Int
        package var oldestAge: Int

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(active: Int, deferred: Int, hold: Int, incoming: Int, total: Int, oldestAge: Int) {
            self.active = active
            self.deferred = deferred
            self.hold = hold
            self.incoming = incoming
            self.total = total
            self.oldestAge = oldestAge
        }
    }
    package struct Member: Encodable, Sendable {
        package var name: String
        package var status: String
        package var role: String?
        package var queueStatus: QueueStatus?

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(name: String, status: String, role: String? = nil, queueStatus: QueueStatus? = nil) {
            self.name = name
            self.status = status
            self.role = role
            self.queueStatus = queueStatus
        }
    }
    package struct MailStats: Encodable, Sendable {
        package var timeframe: String
        package var countTotal: Double
        package var countIn: Double
        package var countOut: Double
        package var spamIn: Double
        package var spamOut: Double
        package var virusIn: Double
        package var virusOut: Double
        package var bouncesIn: Double
        package var bouncesOut: Double
        package var bytesIn: Double
        package var bytesOut: Double
        package var greylistCount: Double
        package var junkIn: Double
        package var averageProcessTimeMs: Double
        package var rblRejects: Double
        package var pregreetRejects: Double
        package var updatedAt: Date

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(
            timeframe: String, countTotal: Double, countIn: Double, countOut: Double, spamIn: Double, spamOut: Double, virusIn: Double,
            virusOut: Double, bouncesIn: Double, bouncesOut: Double, bytesIn: Double, bytesOut: Double, greylistCount: Double, junkIn: Double,
            averageProcessTimeMs: Double, rblRejects: Double, pregreetRejects: Double, updatedAt: Date
        ) {
            self.timeframe = timeframe
            self.countTotal = countTotal
            self.countIn = countIn
            self.countOut = countOut
            self.spamIn = spamIn
            self.spamOut = spamOut
            self.virusIn = virusIn
            self.virusOut = virusOut
            self.bouncesIn = bouncesIn
            self.bouncesOut = bouncesOut
            self.bytesIn = bytesIn
            self.bytesOut = bytesOut
            self.greylistCount = greylistCount
            self.junkIn = junkIn
            self.averageProcessTimeMs = averageProcessTimeMs
            self.rblRejects = rblRejects
            self.pregreetRejects = pregreetRejects
            self.updatedAt = updatedAt
        }
    }
    package struct MailCountPoint: Encodable, Sendable {
        package var timestamp: Date
        package var count: Double
        package var countIn: Double
        package var countOut: Double
        package var spamIn: Double
        package var spamOut: Double
        package var virusIn: Double
        package var virusOut: Double
        package var bouncesIn: Double
        package var bouncesOut: Double
        package var timeframe: String

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(
            timestamp: Date, count: Double, countIn: Double, countOut: Double, spamIn: Double, spamOut: Double, virusIn: Double, virusOut: Double,
            bouncesIn: Double, bouncesOut: Double, timeframe: String
        ) {
            self.timestamp = timestamp
            self.count = count
            self.countIn = countIn
            self.countOut = countOut
            self.spamIn = spamIn
            self.spamOut = spamOut
            self.virusIn = virusIn
            self.virusOut = virusOut
            self.bouncesIn = bouncesIn
            self.bouncesOut = bouncesOut
            self.timeframe = timeframe
        }
    }
    package struct SpamBucket: Encodable, Sendable {
        package var score: String
        package var count: Int

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(score: String, count: Int) {
            self.score = score
            self.count = count
        }
    }
    package struct Quarantine: Encodable, Sendable {
        package var spam: Int
        package var virus: Int
        package var attachment: Int
        package var blacklisted: Int

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(spam: Int, virus: Int, attachment: Int, blacklisted: Int) {
            self.spam = spam
            self.virus = virus
            self.attachment = attachment
            self.blacklisted = blacklisted
        }
    }

    package var id: String = ""
    package var name: String = ""
    package var host: String = ""
    package var status: String = ""
    package var version: String = ""
    package var nodes: [Member]?
    package var mailStats: MailStats?
    package var mailCount: [MailCountPoint]?
    package var spamDistribution: [SpamBucket]?
    package var quarantine: Quarantine?
    package var connectionHealth: String = ""
    package var lastSeen: Date = Date(timeIntervalSince1970: 0)
    package var lastUpdated: Date = Date(timeIntervalSince1970: 0)

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

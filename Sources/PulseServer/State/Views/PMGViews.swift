import Foundation

/// A PMG instance in `/api/state` `pmg[]` (Pulse's raw model: times in RFC 3339).
struct PMGInstanceView: Encodable, Sendable {
    struct QueueStatus: Encodable, Sendable {
        var active: Int
        var deferred: Int
        var hold: Int
        var incoming: Int
        var total: Int
        var oldestAge: Int
    }
    struct Member: Encodable, Sendable {
        var name: String
        var status: String
        var role: String?
        var queueStatus: QueueStatus?
    }
    struct MailStats: Encodable, Sendable {
        var timeframe: String
        var countTotal: Double
        var countIn: Double
        var countOut: Double
        var spamIn: Double
        var spamOut: Double
        var virusIn: Double
        var virusOut: Double
        var bouncesIn: Double
        var bouncesOut: Double
        var bytesIn: Double
        var bytesOut: Double
        var greylistCount: Double
        var junkIn: Double
        var averageProcessTimeMs: Double
        var rblRejects: Double
        var pregreetRejects: Double
        var updatedAt: Date
    }
    struct MailCountPoint: Encodable, Sendable {
        var timestamp: Date
        var count: Double
        var countIn: Double
        var countOut: Double
        var spamIn: Double
        var spamOut: Double
        var virusIn: Double
        var virusOut: Double
        var bouncesIn: Double
        var bouncesOut: Double
        var timeframe: String
    }
    struct SpamBucket: Encodable, Sendable {
        var score: String
        var count: Int
    }
    struct Quarantine: Encodable, Sendable {
        var spam: Int
        var virus: Int
        var attachment: Int
        var blacklisted: Int
    }

    var id: String = ""
    var name: String = ""
    var host: String = ""
    var status: String = ""
    var version: String = ""
    var nodes: [Member]?
    var mailStats: MailStats?
    var mailCount: [MailCountPoint]?
    var spamDistribution: [SpamBucket]?
    var quarantine: Quarantine?
    var connectionHealth: String = ""
    var lastSeen: Date = Date(timeIntervalSince1970: 0)
    var lastUpdated: Date = Date(timeIntervalSince1970: 0)

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

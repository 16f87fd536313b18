import CurlHTTP
package import Foundation

/// The body of `GET /api/monitoring/scheduler/health`, in Pulse's shape: queue, dead letters,
/// breakers and staleness summaries, and the per-instance view.
package struct SchedulerHealthView: Encodable, Sendable {
    package struct Queue: Encodable, Sendable {
        var depth: Int
        var dueWithinSeconds: Int
        var perType: [String: Int]
    }
    package struct DeadLetterTask: Encodable, Sendable {
        package var instance: String
        package var type: String
        package var nextRun: Date
        package var lastError: String
        package var failures: Int
    }
    package struct DeadLetters: Encodable, Sendable {
        package var count: Int
        package var tasks: [DeadLetterTask]
    }
    package struct BreakerSummary: Encodable, Sendable {
        package var instance: String
        package var type: String
        package var state: CircuitBreaker.State
        package var failures: Int
        var retryAt: Date?
    }
    package struct Staleness: Encodable, Sendable {
        package var instance: String
        package var type: String
        var lastSuccess: Date?
        var stalenessSeconds: Int
        /// 0 fresh … 1 at ten intervals or more without a successful poll.
        var stalenessScore: Double
    }
    package struct PollStatus: Encodable, Sendable {
        var lastSuccess: Date?
        package var lastError: SchedulerHealth.LastError?
        var consecutiveFailures: Int
        var firstFailureAt: Date?
        /// Poll cost of the last successful poll.
        var lastDurationMs: Int?
        var lastRequests: Int
        var successfulPolls: Int
    }
    package struct Breaker: Encodable, Sendable {
        package var state: CircuitBreaker.State
        var retryAt: Date?
        var failureCount: Int
        package var since: Date
        var lastTransition: Date?
    }
    package struct DeadLetter: Encodable, Sendable {
        package var present: Bool
        package var reason: String
        var retryCount: Int
    }
    package struct Instance: Encodable, Sendable {
        package var key: String
        package var type: String
        package var displayName: String
        package var instance: String
        package var connection: String
        var pollStatus: PollStatus
        var breaker: Breaker
        var deadLetter: DeadLetter
    }

    package var updatedAt: Date
    package var enabled = true
    package var queue: Queue
    var deadLetter: DeadLetters
    var breakers: [BreakerSummary]
    var staleness: [Staleness]
    package var instances: [Instance]

    package init(instances health: [SchedulerHealth.InstanceHealth], now: Date, intervals: [ProxmoxProduct: TimeInterval]) {
        updatedAt = now
        var perType: [String: Int] = [:]
        for entry in health { perType[entry.instance.type.rawValue, default: 0] += 1 }
        queue = Queue(
            depth: health.count, dueWithinSeconds: health.filter { $0.nextRun.timeIntervalSince(now) <= 12 }.count, perType: perType)
        let dead = health.filter { $0.deadLetterReason != nil }
        deadLetter = DeadLetters(
            count: dead.count,
            tasks: dead.prefix(25).map {
                DeadLetterTask(
                    instance: $0.instance.name, type: $0.instance.type.rawValue, nextRun: $0.nextRun,
                    lastError: $0.lastError?.message ?? "", failures: $0.consecutiveFailures)
            })
        breakers = health.filter { $0.breaker.state != .closed }.map {
            BreakerSummary(
                instance: $0.instance.name, type: $0.instance.type.rawValue, state: $0.breaker.state, failures: $0.breaker.failures,
                retryAt: $0.breaker.retryAt)
        }
        staleness = health.map { entry in
            let interval = intervals[entry.instance.type] ?? entry.instance.type.defaultPollingInterval
            let age = entry.lastSuccess.map { now.timeIntervalSince($0) } ?? now.timeIntervalSince(entry.breaker.since)
            return Staleness(
                instance: entry.instance.name, type: entry.instance.type.rawValue, lastSuccess: entry.lastSuccess,
                stalenessSeconds: Int(age), stalenessScore: min(1, max(0, age / (interval * 10))))
        }
        instances = health.map { entry in
            Instance(
                key: "\(entry.instance.type.rawValue)::\(entry.instance.name)", type: entry.instance.type.rawValue,
                displayName: entry.instance.name, instance: entry.instance.name, connection: entry.instance.host,
                pollStatus: PollStatus(
                    lastSuccess: entry.lastSuccess, lastError: entry.lastError, consecutiveFailures: entry.consecutiveFailures,
                    firstFailureAt: entry.firstFailureAt,
                    lastDurationMs: entry.lastDuration?.wholeMilliseconds,
                    lastRequests: entry.lastRequests, successfulPolls: entry.successfulPolls),
                breaker: Breaker(
                    state: entry.breaker.state, retryAt: entry.breaker.retryAt, failureCount: entry.breaker.failures,
                    since: entry.breaker.since, lastTransition: entry.breaker.lastTransition),
                deadLetter: DeadLetter(
                    present: entry.deadLetterReason != nil, reason: entry.deadLetterReason ?? "", retryCount: entry.deadLetterRetries))
        }
    }
}

package import Foundation
package import PulseSupport

/// Per-instance poll health: breaker, failures, dead letter, staleness. Feeds
/// `GET /api/monitoring/scheduler/health` and decides when each instance may poll.
package actor SchedulerHealth {
    /// Consecutive transient failures after which an instance is dead-lettered.
    static let deadLetterAfter = 5
    /// A dead-lettered instance is still tried this often, so it recovers by itself.
    static let deadLetterRetry: TimeInterval = 300

    package struct LastError: Encodable, Sendable {
        package var at: Date
        package var message: String
        package var category: ProxmoxError.Category
    }

    package struct InstanceHealth: Sendable {
        package var instance: ProxmoxInstance
        var breaker: CircuitBreaker
        var lastSuccess: Date?
        package var lastError: LastError?
        var consecutiveFailures = 0
        var firstFailureAt: Date?
        var deadLetterReason: String?
        var deadLetterRetries = 0
        package var nextRun: Date
        /// The last successful poll: how long it took and how many requests it made.
        var lastDuration: Duration?
        var lastRequests = 0
        /// Successful polls since the instance was (re)configured.
        var successfulPolls = 0
    }

    private let time: any TimeSource
    private var intervals: [ProxmoxProduct: TimeInterval]
    private let random: @Sendable () -> Double
    private var instances: [String: InstanceHealth] = [:]

    /// `intervals`: seconds between polls per product; a missing one takes the product's default.
    package init(
        time: any TimeSource, intervals: [ProxmoxProduct: TimeInterval] = [:],
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.time = time
        self.intervals = intervals
        self.random = random
    }

    /// Changes the seconds between polls; each instance's next poll follows the new interval.
    package func setIntervals(_ new: [ProxmoxProduct: TimeInterval]) {
        let now = time.now()
        for (id, health) in instances where new[health.instance.type] != intervals[health.instance.type] {
            if let seconds = new[health.instance.type], health.nextRun.timeIntervalSince(now) > seconds {
                instances[id]?.nextRun = now.addingTimeInterval(seconds)
            }
        }
        intervals.merge(new) { _, replacement in replacement }
    }

    package func interval(for product: ProxmoxProduct) -> TimeInterval { intervals[product] ?? product.defaultPollingInterval }

    /// Starts (or restarts, after a configuration change) tracking an instance.
    func track(_ instance: ProxmoxInstance) {
        let now = time.now()
        instances[instance.id] = InstanceHealth(instance: instance, breaker: CircuitBreaker(now: now), nextRun: now)
    }

    func forget(id: String) {
        instances[id] = nil
    }

    /// Whether the instance may poll now (breaker closed or half-open, dead letter due).
    func mayPoll(id: String) -> Bool {
        guard var health = instances[id] else { return false }
        let now = time.now()
        guard now >= health.nextRun else { return false }
        let allowed = health.breaker.allows(at: now)
        instances[id] = health
        return allowed
    }

    /// Seconds until the instance is next due.
    func secondsUntilDue(id: String) -> TimeInterval {
        guard let health = instances[id] else { return 1 }
        let due = max(health.nextRun, health.breaker.retryAt ?? health.nextRun)
        return max(0, due.timeIntervalSince(time.now()))
    }

    package func recordSuccess(id: String, duration: Duration, requests: Int) {
        guard var health = instances[id] else { return }
        let now = time.now()
        health.breaker.recordSuccess(at: now)
        health.lastSuccess = now
        health.consecutiveFailures = 0
        health.firstFailureAt = nil
        health.deadLetterReason = nil
        health.deadLetterRetries = 0
        health.lastDuration = duration
        health.lastRequests = requests
        health.successfulPolls += 1
        health.nextRun = now.addingTimeInterval(interval(for: health.instance.type))
        instances[id] = health
    }

    package func recordFailure(id: String, error: ProxmoxError) {
        guard var health = instances[id] else { return }
        let now = time.now()
        health.breaker.recordFailure(at: now, random: random())
        health.consecutiveFailures += 1
        if health.firstFailureAt == nil { health.firstFailureAt = now }
        health.lastError = LastError(at: now, message: error.description, category: error.category)
        if health.deadLetterReason != nil {
            health.deadLetterRetries += 1
        } else if error.category == .permanent {
            health.deadLetterReason = "permanent_failure"
        } else if health.consecutiveFailures >= Self.deadLetterAfter {
            health.deadLetterReason = "retry_limit"
        }
        let retry = health.deadLetterReason != nil ? Self.deadLetterRetry : interval(for: health.instance.type)
        health.nextRun = now.addingTimeInterval(retry)
        instances[id] = health
    }

    package func snapshot() -> SchedulerHealthView {
        SchedulerHealthView(
            instances: instances.values.sorted { ($0.instance.type.rawValue, $0.instance.name) < ($1.instance.type.rawValue, $1.instance.name) },
            now: time.now(), intervals: intervals)
    }
}

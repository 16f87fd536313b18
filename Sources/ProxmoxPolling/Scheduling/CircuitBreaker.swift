package import Foundation

/// Per-instance circuit breaker: opens after 3 consecutive failures, retries after a delay
/// that starts at 5 s and doubles to 5 min (±20 % jitter), lets one trial through when the
/// delay is over (half-open), and closes on the first success.
package struct CircuitBreaker: Sendable, Equatable {
    package enum State: String, Sendable, Encodable {
        case closed, open
        case halfOpen = "half_open"
    }

    static let failureThreshold = 3
    static let baseDelay: TimeInterval = 5
    static let maximumDelay: TimeInterval = 300
    static let jitter = 0.2

    package private(set) var state = State.closed
    /// Consecutive failures.
    package private(set) var failures = 0
    private(set) var retryAt: Date?
    /// When the current state began.
    package private(set) var since: Date
    private(set) var lastTransition: Date?

    package init(now: Date) {
        since = now
    }

    /// Whether a poll may run now; moves an open breaker whose delay is over to half-open.
    package mutating func allows(at now: Date) -> Bool {
        switch state {
        case .closed, .halfOpen:
            return true
        case .open:
            guard let retryAt, now >= retryAt else { return false }
            transition(to: .halfOpen, at: now)
            return true
        }
    }

    package mutating func recordSuccess(at now: Date) {
        failures = 0
        retryAt = nil
        if state != .closed { transition(to: .closed, at: now) }
    }

    /// `random` is in 0..<1 (injected so tests are exact).
    package mutating func recordFailure(at now: Date, random: Double) {
        failures += 1
        guard state == .halfOpen || failures >= Self.failureThreshold else { return }
        let opened = failures - Self.failureThreshold
        retryAt = now.addingTimeInterval(Self.retryDelay(afterOpenings: max(0, opened), random: random))
        if state != .open { transition(to: .open, at: now) }
    }

    /// 5 s × 2^n, capped at 5 min, ±20 %.
    static func retryDelay(afterOpenings n: Int, random: Double) -> TimeInterval {
        let base = min(maximumDelay, baseDelay * pow(2, Double(min(n, 16))))
        return base * (1 - jitter + 2 * jitter * random)
    }

    private mutating func transition(to new: State, at now: Date) {
        state = new
        since = now
        lastTransition = now
    }
}

import Foundation
package import PulseSupport
import Synchronization

/// Fixed-window request counters keyed by category and client.
///
/// One mutex-protected dictionary: cheap on the hot path (a hash lookup and an increment) and
/// bounded, because windows that have ended are swept whenever the table grows past
/// `sweepThreshold`.
package final class RateLimiter: Sendable {
    /// What one request is told about its budget; becomes the `X-RateLimit-*` headers.
    package struct Decision: Sendable, Equatable {
        package let allowed: Bool
        package let limit: Int
        package let remaining: Int
        /// When the current window ends.
        let resetAt: Date
        /// Seconds until a refused caller may try again.
        let retryAfter: Int
    }

    private struct Window {
        var start: Date
        var count: Int
        var length: TimeInterval
    }

    private let windows = Mutex<[String: Window]>([:])
    private let time: any TimeSource
    private let sweepThreshold: Int

    package init(time: any TimeSource, sweepThreshold: Int = 50_000) {
        self.time = time
        self.sweepThreshold = sweepThreshold
    }

    /// Counts one request for `key` in `category` and says whether it may proceed.
    package func consume(key: String, category: RateLimitCategory) -> Decision {
        let now = time.now()
        let bucket = "\(category.name)|\(key)"
        return windows.withLock { windows in
            if windows.count > sweepThreshold {
                windows = windows.filter { now.timeIntervalSince($0.value.start) < $0.value.length }
            }
            var window = windows[bucket] ?? Window(start: now, count: 0, length: category.window)
            if now.timeIntervalSince(window.start) >= category.window {
                window = Window(start: now, count: 0, length: category.window)
            }
            let resetAt = window.start.addingTimeInterval(category.window)
            let allowed = window.count < category.limit
            if allowed { window.count += 1 }
            windows[bucket] = window
            return Decision(
                allowed: allowed, limit: category.limit, remaining: max(0, category.limit - window.count),
                resetAt: resetAt, retryAfter: max(1, Int(resetAt.timeIntervalSince(now).rounded(.up))))
        }
    }

    /// Number of live counters; for tests and diagnostics.
    var trackedCount: Int { windows.withLock { $0.count } }
}

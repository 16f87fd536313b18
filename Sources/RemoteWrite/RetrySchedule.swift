import Foundation

/// When the next attempt may be made after failures: 1 s, doubling to 60 s, or what a 429's
/// `Retry-After` asks (at most 10 minutes); back to at once after a success.
struct RetrySchedule: Sendable {
    static let first: TimeInterval = 1
    static let longest: TimeInterval = 60
    static let longestRetryAfter: TimeInterval = 600

    private(set) var failures = 0
    private(set) var notBefore: Date?

    func isDue(at now: Date) -> Bool { notBefore.map { now >= $0 } ?? true }

    mutating func failed(at now: Date, retryAfter: TimeInterval? = nil) {
        failures += 1
        let backoff = min(Self.longest, Self.first * pow(2, Double(min(failures - 1, 16))))
        let delay = retryAfter.map { min(Self.longestRetryAfter, max(Self.first, $0)) } ?? backoff
        notBefore = now.addingTimeInterval(delay)
    }

    mutating func succeeded() {
        failures = 0
        notBefore = nil
    }
}

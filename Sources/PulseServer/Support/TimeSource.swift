import Foundation
import Synchronization

/// Where the server reads the current time.
///
/// Everything time-dependent (rate-limit windows, token hints, offline detection later) asks a
/// `TimeSource` instead of calling `Date()`, so tests move time forward instead of sleeping.
protocol TimeSource: Sendable {
    /// The current wall-clock time.
    func now() -> Date
}

/// The real clock.
struct SystemTimeSource: TimeSource {
    func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests and benchmarks.
final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

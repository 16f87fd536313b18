package import Foundation
import Synchronization

/// Where the server reads the current time.
///
/// Everything time-dependent (rate-limit windows, token hints, offline detection later) asks a
/// `TimeSource` instead of calling `Date()`, so tests move time forward instead of sleeping.
package protocol TimeSource: Sendable {
    /// The current wall-clock time.
    func now() -> Date
}

/// The real clock.
package struct SystemTimeSource: TimeSource {
    package func now() -> Date { Date() }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init() {
    }
}

/// A clock that only moves when told to; for tests and benchmarks.
package final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>

    package init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(start)
    }

    package func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Date {
    /// Go's zero `time.Time`, `0001-01-01T00:00:00Z`.
    ///
    /// Go writes it for every unset non-pointer time (e.g. a report `timestamp` the agent never filled);
    /// decoders here also use it for a missing or `null` non-optional time. The server replaces a zero
    /// report timestamp with its own receive time.
    public static let goZeroTime = Date(timeIntervalSinceReferenceDate: -63_113_904_000)

    /// Whether this is exactly Go's zero time (Go's `time.Time.IsZero`).
    public var isGoZeroTime: Bool {
        self == .goZeroTime
    }
}

import Foundation

extension Date {
    /// Unix milliseconds, the timestamp unit of Pulse's frontend structs.
    package var unixMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

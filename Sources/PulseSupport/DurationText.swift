/// Durations written as a number and a unit: `45s`, `90m`, `24h`, `7d`.
package enum DurationText {
    /// Seconds, or nil when `text` is not a positive amount with one of the units s, m, h, d, or
    /// is more seconds than an Int64 holds.
    package static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount > 0 else { return nil }
        let multiplier: Int64
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86_400
        default: return nil
        }
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : seconds
    }
}

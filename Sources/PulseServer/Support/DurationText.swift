/// Durations written as a number and a unit: `45s`, `90m`, `24h`, `7d`.
enum DurationText {
    /// Seconds, or nil when `text` is not a positive amount with one of the units s, m, h, d.
    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86_400
        default: return nil
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A small RFC 3339 parser and formatter for the times on the agent wire.
///
/// Go writes `time.Time` with `RFC3339Nano`: up to nine fractional digits (trailing zeros trimmed) and either
/// `Z` or a numeric offset such as `+02:00`. `Date` only holds about a microsecond of precision, so parsed
/// times are rounded to the nearest microsecond; that makes `parse(format(date)) == date` for every
/// parsed `date`, which keeps decode → encode → decode round trips exact.
public enum RFC3339 {
    /// Seconds between 1970-01-01T00:00:00Z and `Date`'s reference date, 2001-01-01T00:00:00Z.
    static let unixToReferenceDate: Int64 = 978_307_200

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    ///
    /// Accepts `T`/`t`, `Z`/`z` and any number of fractional digits (digits past the ninth are ignored).
    /// Returns `nil` for anything else, including out-of-range fields (`2024-13-01T00:00:00Z`,
    /// February 30th, second 60) and a missing zone.
    public static func parse(_ string: String) -> Date? {
        var string = string
        return string.withUTF8 { parse(utf8: $0) }
    }

    /// `format(date)`, or an encoding error at `codingPath` when the year cannot be written: how
    /// every encoder of agent JSON, and the server's stored records, refuse such a date.
    public static func format(_ date: Date, codingPath: [any CodingKey]) throws -> String {
        guard let text = format(date) else {
            throw EncodingError.invalidValue(
                date, .init(codingPath: codingPath, debugDescription: "Year outside 0...9999 cannot be written as RFC 3339"))
        }
        return text
    }

    /// Formats `date` in UTC as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.
    ///
    /// Fractional seconds are written only when non-zero, rounded to microseconds, with trailing zeros
    /// trimmed. Go's zero time comes out as `0001-01-01T00:00:00Z`. Returns `nil` when the year falls
    /// outside 0...9999, which RFC 3339 (and Go's encoder) cannot represent.
    public static func format(_ date: Date) -> String? {
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite else { return nil }
        let wholeSeconds = interval.rounded(.down)
        // 4e11 s is far beyond year 9999; checking first keeps the Int64 conversion safe.
        guard abs(wholeSeconds) < 4e11 else { return nil }
        var unixSeconds = Int64(wholeSeconds) + unixToReferenceDate
        var micros = Int64(((interval - wholeSeconds) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            unixSeconds += 1
            micros -= 1_000_000
        }

        let days = floorDivide(unixSeconds, 86_400)
        let secondOfDay = Int(unixSeconds - days * 86_400)
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else { return nil }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendDigits(year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &bytes)
        if micros > 0 {
            var fraction = Int(micros)
            var digits = 6
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, count: digits, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Parsing

    static func parse(utf8 s: UnsafeBufferPointer<UInt8>) -> Date? {
        // The shortest valid form is "YYYY-MM-DDTHH:MM:SSZ" (20 bytes).
        guard s.count >= 20,
            let year = number(s, 0, 4), s[4] == UInt8(ascii: "-"),
            let month = number(s, 5, 2), s[7] == UInt8(ascii: "-"),
            let day = number(s, 8, 2), s[10] | 0x20 == UInt8(ascii: "t"),
            let hour = number(s, 11, 2), s[13] == UInt8(ascii: ":"),
            let minute = number(s, 14, 2), s[16] == UInt8(ascii: ":"),
            let second = number(s, 17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }

        var index = 19
        var nanos = 0
        if s[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < s.count, let digit = digitValue(s[index]) {
                if digits < 9 {
                    nanos = nanos * 10 + digit
                }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) {
                nanos *= 10
            }
        }

        guard index < s.count else { return nil }
        var offsetSeconds = 0
        switch s[index] | 0x20 {
        case UInt8(ascii: "z"):
            guard index + 1 == s.count else { return nil }
        default:
            let sign = s[index]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                index + 6 == s.count,
                let offsetHours = number(s, index + 1, 2), s[index + 3] == UInt8(ascii: ":"),
                let offsetMinutes = number(s, index + 4, 2),
                offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }

        var unixSeconds =
            days(fromCivilYear: year, month: month, day: day) * 86_400
            + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        var micros = (nanos + 500) / 1000
        if micros == 1_000_000 {
            unixSeconds += 1
            micros = 0
        }
        return Date(
            timeIntervalSinceReferenceDate: Double(unixSeconds - unixToReferenceDate) + Double(micros) / 1_000_000
        )
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// Reads `count` decimal digits starting at `start`, or `nil` if any is not a digit.
    private static func number(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard let digit = digitValue(s[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Days since 1970-01-01 for a civil date.
    static func days(fromCivilYear year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<max(count, 1) {
            divisor *= 10
        }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }
}

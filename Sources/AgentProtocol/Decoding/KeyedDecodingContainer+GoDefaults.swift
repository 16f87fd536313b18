#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Go's encoding/json never fails because a key is missing or `null`: the field keeps its zero value.
// Pulse agents rely on that (legacy agents omit newer keys, Go nil slices encode as `null`), so the
// hand-written `init(from:)` of every report type decodes through these helpers.
//
// The concrete overloads below matter for speed: a call through the generic helper reaches the
// decoder's generic `decodeIfPresent<T>`, which re-discovers T's type at run time for every field.
// Overload resolution picks the concrete versions at the call sites, which reach the decoder's
// specialised String/Int/Double/Bool entry points. Agent reports are decoded thousands of times a
// second, mostly field by field, so this roughly halves the decoding cost.
extension KeyedDecodingContainer {
    /// Decodes `key`, or returns `fallback` when the key is missing or its value is `null`.
    func decode<T: Decodable>(_ key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }

    /// Decodes an optional field whose type is inferred from the assignment target.
    func decodeIfPresent<T: Decodable>(_ key: Key) throws -> T? {
        try decodeIfPresent(T.self, forKey: key)
    }

    func decode(_ key: Key, default fallback: String) throws -> String {
        try decodeIfPresent(String.self, forKey: key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> String? {
        try decodeIfPresent(String.self, forKey: key)
    }

    func decode(_ key: Key, default fallback: Int) throws -> Int {
        try decodeIfPresent(Int.self, forKey: key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> Int? {
        try decodeIfPresent(Int.self, forKey: key)
    }

    func decode(_ key: Key, default fallback: Int64) throws -> Int64 {
        try decodeIfPresent(Int64.self, forKey: key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> Int64? {
        try decodeIfPresent(Int64.self, forKey: key)
    }

    func decode(_ key: Key, default fallback: UInt64) throws -> UInt64 {
        try decodeIfPresent(UInt64.self, forKey: key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> UInt64? {
        try decodeIfPresent(UInt64.self, forKey: key)
    }

    func decode(_ key: Key, default fallback: Double) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> Double? {
        try decodeIfPresent(Double.self, forKey: key)
    }

    func decode(_ key: Key, default fallback: Bool) throws -> Bool {
        try decodeIfPresent(Bool.self, forKey: key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> Bool? {
        try decodeIfPresent(Bool.self, forKey: key)
    }

    /// Times are always RFC 3339 strings on the agent wire, so they are read as strings and parsed
    /// here, skipping the decoder's date-strategy machinery.
    func decode(_ key: Key, default fallback: Date) throws -> Date {
        try decodeIfPresent(key) ?? fallback
    }

    func decodeIfPresent(_ key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "Expected an RFC 3339 time, got \"\(text)\"")
        }
        return date
    }
}

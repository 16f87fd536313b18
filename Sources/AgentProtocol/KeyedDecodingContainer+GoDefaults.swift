#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Go's encoding/json never fails because a key is missing or `null`: the field keeps its zero value.
// Pulse agents rely on that (legacy agents omit newer keys, Go nil slices encode as `null`), so the
// hand-written `init(from:)` of every report type decodes through these two helpers.
extension KeyedDecodingContainer {
    /// Decodes `key`, or returns `fallback` when the key is missing or its value is `null`.
    func decode<T: Decodable>(_ key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }

    /// Decodes an optional field whose type is inferred from the assignment target.
    func decodeIfPresent<T: Decodable>(_ key: Key) throws -> T? {
        try decodeIfPresent(T.self, forKey: key)
    }
}

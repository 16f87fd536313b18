package import Foundation

/// Partial updates of settings documents: the posted JSON object's keys over the current
/// value's, recursively, so a client may send only what it changes.
package enum JSONMerge {
    /// `patch` over `base`. Objects under `replacedWhole` (top-level keys) are replaced, not merged;
    /// `null` leaves a value as it is.
    package static func merged<T: Codable>(_ base: T, with patch: Data, replacedWhole: Set<String> = []) throws -> T {
        let current = try JSONSerialization.jsonObject(with: JSONEncoder().encode(base))
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: patch)
        } catch {
            // A DecodingError, as a typed decode would throw, so callers answer 400 invalid_json
            // (JSONSerialization's own error reached clients as a 500).
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The body is not JSON", underlyingError: error))
        }
        guard let changes = parsed as? [String: Any] else {
            throw DecodingError.typeMismatch(
                [String: Any].self, .init(codingPath: [], debugDescription: "The body must be a JSON object"))
        }
        let merged = merge(changes, over: current as? [String: Any] ?? [:], replacedWhole: replacedWhole)
        return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: merged))
    }

    private static func merge(_ patch: [String: Any], over base: [String: Any], replacedWhole: Set<String>) -> [String: Any] {
        var result = base
        for (key, value) in patch {
            if let object = value as? [String: Any], let existing = base[key] as? [String: Any], !replacedWhole.contains(key) {
                result[key] = merge(object, over: existing, replacedWhole: [])
            } else if !(value is NSNull) {
                result[key] = value
            }
        }
        return result
    }
}

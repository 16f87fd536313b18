package import Foundation
import PulseSupport

/// A `PUT`/`POST` body for one resource's metadata. Accepts Pulse's field names and the seed's
/// (`consoleUrl` for `customUrl`; `notes` as one string or a list). Absent fields are cleared:
/// the body replaces the record, as in Pulse.
package struct MetadataUpdate: Decodable, Sendable {
    package var customUrl: String?
    package var description: String?
    package var tags: [String]?
    package var notes: [String]?

    private enum CodingKeys: String, CodingKey { case customUrl, consoleUrl, description, tags, notes }

    package init(customUrl: String? = nil, description: String? = nil, tags: [String]? = nil, notes: [String]? = nil) {
        self.customUrl = customUrl
        self.description = description
        self.tags = tags
        self.notes = notes
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customUrl = try Self.field(.customUrl) { try container.decodeIfPresent(String.self, forKey: .customUrl) }
        if customUrl == nil { customUrl = try Self.field(.consoleUrl) { try container.decodeIfPresent(String.self, forKey: .consoleUrl) } }
        description = try Self.field(.description) { try container.decodeIfPresent(String.self, forKey: .description) }
        tags = try Self.field(.tags) { try container.decodeIfPresent([String].self, forKey: .tags) }
        notes = try Self.field(.notes) {
            if let one = try? container.decodeIfPresent(String.self, forKey: .notes) { return [one] }
            return try container.decodeIfPresent([String].self, forKey: .notes)
        }
    }

    /// Decodes one field, naming it when its type is wrong.
    private static func field<T>(_ key: CodingKeys, _ decode: () throws -> T) throws -> T {
        do {
            return try decode()
        } catch {
            throw DomainError.invalid("\(key.stringValue) has the wrong type", field: key.stringValue)
        }
    }

    static let maximumURLLength = 2048
    static let maximumDescriptionLength = 1000
    static let maximumTags = 32
    static let maximumTagLength = 64
    static let maximumNotes = 20
    static let maximumNoteLength = 2000

    /// The record this body makes for `id`, after checking every field; throws `DomainError`
    /// (invalid, naming the field) and changes nothing when a value breaks its rule.
    package func record(id: String) throws -> ResourceMetadata {
        var record = ResourceMetadata(id: try Self.validatedID(id))
        record.customUrl = try Self.validatedURL(customUrl ?? "")
        let description = (self.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.count <= Self.maximumDescriptionLength else {
            throw DomainError.invalid("description is longer than \(Self.maximumDescriptionLength) characters", field: "description")
        }
        record.description = description
        record.tags = try Self.validatedList(
            tags ?? [], field: "tags", count: Self.maximumTags, length: Self.maximumTagLength, singleLine: true)
        record.notes = try Self.validatedList(
            notes ?? [], field: "notes", count: Self.maximumNotes, length: Self.maximumNoteLength, singleLine: false)
        return record
    }

    /// IDs are printable, without spaces or slashes, at most 256 characters.
    package static func validatedID(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 256, id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "/" }) else {
            throw DomainError.invalid("id must be 1 to 256 printable characters without spaces or slashes", field: "id")
        }
        return id
    }

    /// "" or an absolute http(s) URL with a host: no `javascript:`, `data:` or relative links.
    static func validatedURL(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "" }
        guard trimmed.count <= maximumURLLength, !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw DomainError.invalid("customUrl must be an absolute http or https URL", field: "customUrl")
        }
        return trimmed
    }

    private static func validatedList(_ items: [String], field: String, count: Int, length: Int, singleLine: Bool) throws -> [String] {
        guard items.count <= count else { throw DomainError.invalid("\(field) holds more than \(count) entries", field: field) }
        var kept: [String] = []
        for item in items {
            let trimmed = item.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard trimmed.count <= length else { throw DomainError.invalid("an entry of \(field) is longer than \(length) characters", field: field) }
            guard !singleLine || !trimmed.contains(where: \.isNewline) else {
                throw DomainError.invalid("an entry of \(field) spans lines", field: field)
            }
            if !kept.contains(trimmed) { kept.append(trimmed) }
        }
        return kept
    }
}

import Foundation
package import Persistence

/// Patrol's state on disk: four JSON documents in `patrolDocument` (findings, runs, suppression
/// rules, observations), each written whole when it changes. Their sizes are bounded by the book.
package struct PatrolDocuments: Sendable {
    private let documents: NamedDocuments

    package init(database: PulseDatabase) {
        documents = NamedDocuments(database: database, table: "patrolDocument")
    }

    struct Stored {
        var findings: [Finding] = []
        var runs: [PatrolRun] = []
        var rules: [SuppressionRule] = []
        var memory = PatrolMemory()
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// What is stored; a document that cannot be read is left out (patrol starts it afresh).
    func load() throws -> Stored {
        let all = try documents.loadAll()
        let decoder = Self.decoder()
        var stored = Stored()
        if let data = all["findings"], let value = try? decoder.decode([Finding].self, from: data) { stored.findings = value }
        if let data = all["runs"], let value = try? decoder.decode([PatrolRun].self, from: data) { stored.runs = value }
        if let data = all["suppressions"], let value = try? decoder.decode([SuppressionRule].self, from: data) { stored.rules = value }
        if let data = all["memory"], let value = try? decoder.decode(PatrolMemory.self, from: data) { stored.memory = value }
        return stored
    }

    func save(_ value: some Encodable, as name: String) throws {
        try documents.save(try Self.encoder().encode(value), as: name)
    }
}

package import AgentProtocol
import Foundation
import GRDB
package import Persistence
package import PulseSupport

/// The API tokens the server accepts, cached in memory and persisted in the database.
///
/// Lookups hash the presented token and find the record by hash; the final comparison of the
/// hashes is constant-time. `lastUsedAt` is updated in memory on each use and written to the
/// database by `flushUsage()` (periodically and at shutdown), so authentication never waits on
/// a disk write.
package actor TokenRegistry {
    private let database: PulseDatabase
    private let time: any TimeSource
    private var byHash: [String: APITokenRecord] = [:]
    private var usedSinceFlush: Set<String> = []

    package init(database: PulseDatabase, time: any TimeSource) throws {
        self.database = database
        self.time = time
        byHash = try Self.load(from: database)
    }

    private static func load(from database: PulseDatabase) throws -> [String: APITokenRecord] {
        let stored = try database.read { db in try StoredToken.fetchAll(db) }
        return Dictionary(stored.map { ($0.record.hash, $0.record) }, uniquingKeysWith: { first, _ in first })
    }

    /// Re-reads the token table, so tokens minted or revoked by `pulse token` while the server
    /// runs take effect; usage not yet flushed is kept.
    package func reload() throws {
        var fresh = try Self.load(from: database)
        for hash in usedSinceFlush {
            if let used = byHash[hash]?.lastUsedAt { fresh[hash]?.lastUsedAt = used }
        }
        usedSinceFlush = usedSinceFlush.filter { fresh[$0] != nil }
        byHash = fresh
    }

    /// Mints a new token with `scopes` and returns the raw value (shown once) with its record.
    package func create(name: String, scopes: [Scope]) throws -> (raw: String, record: APITokenRecord) {
        let raw = APIToken.generate()
        let record = try insert(raw: raw, name: name, scopes: scopes)
        return (raw, record)
    }

    /// Stores a token whose raw value was supplied by the operator (`API_TOKENS`, quick-setup).
    /// Idempotent: a token already known keeps its record.
    @discardableResult
    package func adopt(raw: String, name: String, scopes: [Scope]) throws -> APITokenRecord {
        if let existing = byHash[APIToken.hash(raw)] { return existing }
        return try insert(raw: raw, name: name, scopes: scopes)
    }

    private func insert(raw: String, name: String, scopes: [Scope]) throws -> APITokenRecord {
        let record = APIToken.record(for: raw, name: name, scopes: scopes, createdAt: time.now())
        try database.write { db in try StoredToken(record).insert(db) }
        byHash[record.hash] = record
        return record
    }

    /// All tokens, newest first.
    package func list() -> [APITokenRecord] {
        byHash.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    /// Revokes the token with `id`; false when there is none.
    package func revoke(id: String) throws -> Bool {
        guard let record = byHash.values.first(where: { $0.id == id }) else { return false }
        _ = try database.write { db in try StoredToken.deleteOne(db, key: id) }
        byHash[record.hash] = nil
        usedSinceFlush.remove(record.hash)
        return true
    }

    /// Revokes every token called `name`; returns how many.
    package func revokeAll(named name: String) throws -> Int {
        let matching = byHash.values.filter { $0.name == name }
        for record in matching { _ = try revoke(id: record.id) }
        return matching.count
    }

    /// The record of the token `raw`, or nil if it is unknown or revoked.
    func authenticate(_ raw: String) -> APITokenRecord? {
        let hash = APIToken.hash(raw)
        guard var record = byHash[hash], constantTimeEquals(Array(record.hash.utf8), Array(hash.utf8)) else {
            return nil
        }
        record.lastUsedAt = time.now()
        byHash[hash] = record
        usedSinceFlush.insert(hash)
        return record
    }

    /// Whether any token exists (API-only mode and security status need this).
    package var isEmpty: Bool { byHash.isEmpty }

    /// Writes pending `lastUsedAt` updates in one transaction.
    package func flushUsage() throws {
        guard !usedSinceFlush.isEmpty else { return }
        let updates = usedSinceFlush.compactMap { byHash[$0] }
        try database.write { db in
            for record in updates {
                try db.execute(
                    sql: "UPDATE apiToken SET lastUsedAt = ? WHERE id = ?", arguments: [record.lastUsedAt, record.id])
            }
        }
        usedSinceFlush.removeAll()
    }
}

/// The database row of a token; scopes are stored as a JSON array.
private struct StoredToken: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "apiToken"
    var id: String
    var name: String
    var hash: String
    var prefix: String
    var suffix: String
    var scopes: String
    var createdAt: Date
    var lastUsedAt: Date?

    init(_ record: APITokenRecord) {
        id = record.id
        name = record.name
        hash = record.hash
        prefix = record.prefix
        suffix = record.suffix
        scopes = String(decoding: (try? JSONEncoder().encode(record.scopes.map(\.rawValue))) ?? Data("[]".utf8), as: UTF8.self)
        createdAt = record.createdAt
        lastUsedAt = record.lastUsedAt
    }

    var record: APITokenRecord {
        let names = (try? JSONDecoder().decode([String].self, from: Data(scopes.utf8))) ?? []
        return APITokenRecord(
            id: id, name: name, hash: hash, prefix: prefix, suffix: suffix,
            scopes: names.map { Scope(rawValue: $0) }, createdAt: createdAt, lastUsedAt: lastUsedAt)
    }
}

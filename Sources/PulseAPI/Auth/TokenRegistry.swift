package import AgentProtocol
import Foundation
package import Persistence
package import PulseSupport

/// The API tokens the server accepts, cached in memory and persisted in the database.
///
/// Lookups hash the presented token and find the record by hash; the final comparison of the
/// hashes is constant-time. `lastUsedAt` is updated in memory on each use and written to the
/// database by `flushUsage()` (periodically and at shutdown), so authentication never waits on
/// a disk write.
package actor TokenRegistry {
    private let table: TokenTable
    private let time: any TimeSource
    private var byHash: [String: APITokenRecord] = [:]
    private var usedSinceFlush: Set<String> = []

    package init(database: PulseDatabase, time: any TimeSource) throws {
        table = TokenTable(database: database)
        self.time = time
        byHash = try Self.load(from: table)
    }

    private static func load(from table: TokenTable) throws -> [String: APITokenRecord] {
        let records = try table.all().map(APITokenRecord.init)
        return Dictionary(records.map { ($0.hash, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Re-reads the token table, so tokens minted or revoked by `pulse token` while the server
    /// runs take effect; usage not yet flushed is kept.
    package func reload() throws {
        var fresh = try Self.load(from: table)
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
        try table.insert(StoredToken(record))
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
        try table.delete(id: id)
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

    /// Mints a token called `name` and then revokes every other token of that name, in one step
    /// (two concurrent rotations leave one token, and a failed mint revokes nothing). Returns the
    /// raw value, its record and the IDs revoked.
    package func rotate(name: String, scopes: [Scope]) throws -> (raw: String, record: APITokenRecord, revoked: [String]) {
        let (raw, record) = try create(name: name, scopes: scopes)
        let previous = byHash.values.filter { $0.name == name && $0.id != record.id }.map(\.id)
        for id in previous { _ = try revoke(id: id) }
        return (raw, record, previous)
    }

    /// Whether `raw` is a current token, compared like `authenticate` but not counted as a use.
    package func isValid(_ raw: String) -> Bool {
        let hash = APIToken.hash(raw)
        guard let record = byHash[hash] else { return false }
        return constantTimeEquals(Array(record.hash.utf8), Array(hash.utf8))
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
        try table.setLastUsed(usedSinceFlush.compactMap { byHash[$0] }.map { ($0.id, $0.lastUsedAt) })
        usedSinceFlush.removeAll()
    }
}

extension StoredToken {
    init(_ record: APITokenRecord) {
        self.init(
            id: record.id, name: record.name, hash: record.hash, prefix: record.prefix, suffix: record.suffix,
            scopes: record.scopes.map(\.rawValue), createdAt: record.createdAt, lastUsedAt: record.lastUsedAt)
    }
}

extension APITokenRecord {
    init(_ stored: StoredToken) {
        self.init(
            id: stored.id, name: stored.name, hash: stored.hash, prefix: stored.prefix, suffix: stored.suffix,
            scopes: stored.scopeNames.map { Scope(rawValue: $0) }, createdAt: stored.createdAt, lastUsedAt: stored.lastUsedAt)
    }
}

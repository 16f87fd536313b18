package import Foundation
import GRDB

/// One API token as stored in the `apiToken` table: its hash and the parts shown to users,
/// never the raw value. Scopes are kept as a JSON array of their names.
package struct StoredToken: Sendable, Equatable {
    package var id: String
    package var name: String
    package var hash: String
    package var prefix: String
    package var suffix: String
    package var scopes: String
    package var createdAt: Date
    package var lastUsedAt: Date?

    /// Every stored property, in declaration order; `scopes` as their names.
    package init(
        id: String, name: String, hash: String, prefix: String, suffix: String, scopes: [String], createdAt: Date, lastUsedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.hash = hash
        self.prefix = prefix
        self.suffix = suffix
        self.scopes = String(decoding: (try? JSONEncoder().encode(scopes)) ?? Data("[]".utf8), as: UTF8.self)
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }

    /// The scope names; none when the stored array does not parse.
    package var scopeNames: [String] { (try? JSONDecoder().decode([String].self, from: Data(scopes.utf8))) ?? [] }
}

/// The `apiToken` table.
package struct TokenTable: Sendable {
    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    package func all() throws -> [StoredToken] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM apiToken").map { row in
                var token = StoredToken(
                    id: row["id"], name: row["name"], hash: row["hash"], prefix: row["prefix"], suffix: row["suffix"], scopes: [],
                    createdAt: row["createdAt"], lastUsedAt: row["lastUsedAt"])
                token.scopes = row["scopes"]
                return token
            }
        }
    }

    package func insert(_ token: StoredToken) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO apiToken (id, name, hash, prefix, suffix, scopes, createdAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [token.id, token.name, token.hash, token.prefix, token.suffix, token.scopes, token.createdAt, token.lastUsedAt])
        }
    }

    package func delete(id: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM apiToken WHERE id = ?", arguments: [id]) }
    }

    /// Writes the `lastUsedAt` of each token ID in one transaction.
    package func setLastUsed(_ times: [(id: String, time: Date?)]) throws {
        try database.write { db in
            for (id, time) in times {
                try db.execute(sql: "UPDATE apiToken SET lastUsedAt = ? WHERE id = ?", arguments: [time, id])
            }
        }
    }
}

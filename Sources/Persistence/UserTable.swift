package import Foundation
import GRDB

/// The `user` table: dashboard users and their password hashes.
package struct UserTable: Sendable {
    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    package func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") ?? 0 }
    }

    /// Sorted.
    package func usernames() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT username FROM user ORDER BY username") }
    }

    /// Creates `username` with `passwordHash`, or replaces the hash of the existing user.
    package func save(username: String, passwordHash: String, createdAt: Date) throws {
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO user (username, passwordHash, createdAt) VALUES (?, ?, ?) ON CONFLICT(username) DO UPDATE SET passwordHash = excluded.passwordHash",
                arguments: [username, passwordHash, createdAt])
        }
    }

    package func passwordHash(of username: String) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM user WHERE username = ?", arguments: [username])
        }
    }
}

package import Foundation
import GRDB

/// One browser session as stored in the `session` table: hashes only, never the cookie's value.
package struct StoredSession: Sendable, Equatable {
    package var idHash: String
    package var username: String
    package var csrfHash: String
    package var createdAt: Date
    package var lastActivity: Date
    package var rememberMe: Bool
    /// The user's role (`admin`, `viewer`); sessions from before roles are admins.
    package var role: String
    /// How the user signed in: `password` or `oidc`.
    package var signIn: String

    /// Every stored property, in declaration order.
    package init(
        idHash: String, username: String, csrfHash: String, createdAt: Date, lastActivity: Date, rememberMe: Bool, role: String = "admin",
        signIn: String = "password"
    ) {
        self.idHash = idHash
        self.username = username
        self.csrfHash = csrfHash
        self.createdAt = createdAt
        self.lastActivity = lastActivity
        self.rememberMe = rememberMe
        self.role = role
        self.signIn = signIn
    }
}

/// The `session` table.
package struct SessionTable: Sendable {
    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    package func all() throws -> [StoredSession] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session").map { row in
                StoredSession(
                    idHash: row["idHash"], username: row["username"], csrfHash: row["csrfHash"], createdAt: row["createdAt"],
                    lastActivity: row["lastActivity"], rememberMe: row["rememberMe"], role: row["role"], signIn: row["signIn"])
            }
        }
    }

    package func insert(_ session: StoredSession) throws {
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO session (idHash, username, csrfHash, createdAt, lastActivity, rememberMe, role, signIn) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    session.idHash, session.username, session.csrfHash, session.createdAt, session.lastActivity, session.rememberMe,
                    session.role, session.signIn,
                ])
        }
    }

    package func setLastActivity(_ time: Date, of idHash: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE session SET lastActivity = ? WHERE idHash = ?", arguments: [time, idHash])
        }
    }

    package func delete(idHash: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [idHash]) }
    }
}

import Foundation
import GRDB

/// The server's SQLite database (`<data>/pulse.db`): configuration, users, tokens, secrets, Proxmox instances.
///
/// A GRDB `DatabasePool`, so it runs in WAL mode: readers never block the writer. Every write
/// goes through `write { }`, one transaction each, so a crash leaves the previous state or the
/// new one, never half of a change.
package final class PulseDatabase: Sendable {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "pulse"
        try PrivateDatabaseFiles.prepare(databaseAt: path)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    func read<T>(_ work: @Sendable (Database) throws -> T) throws -> T {
        try pool.read(work)
    }

    func write<T>(_ work: @Sendable (Database) throws -> T) throws -> T {
        try pool.write(work)
    }

    /// Whether the database answers a query.
    package var isReachable: Bool {
        (try? read { db in try Int.fetchOne(db, sql: "SELECT 1") }) != nil
    }

    /// Counts up the counter `name` (kept across restarts) and returns its new value, from 1.
    package func nextNumber(of name: String) throws -> Int {
        try write { db -> Int in
            let next = (try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [name]) ?? 0) + 1
            try db.execute(
                sql: "INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                arguments: [name, next])
            return next
        }
    }

    /// Checkpoints the WAL into the main file; called on shutdown so the folder is self-contained.
    package func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: tokens, users, secrets") { db in
            try db.create(table: "apiToken") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("hash", .text).notNull().unique()
                table.column("prefix", .text).notNull()
                table.column("suffix", .text).notNull()
                table.column("scopes", .text).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("lastUsedAt", .datetime)
            }
            try db.create(table: "user") { table in
                table.primaryKey("username", .text)
                table.column("passwordHash", .text).notNull()
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "sealedSecret") { table in
                table.primaryKey("name", .text)
                table.column("sealed", .blob).notNull()
                table.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2: agent records") { db in
            // One row per agent record or removal block; the body is the record as JSON.
            try db.create(table: "agentRecord") { table in
                table.column("kind", .text).notNull()
                table.column("id", .text).notNull()
                table.column("body", .blob).notNull()
                table.primaryKey(["kind", "id"])
            }
            try db.create(table: "removedAgent") { table in
                table.column("kind", .text).notNull()
                table.column("id", .text).notNull()
                table.column("body", .blob).notNull()
                table.primaryKey(["kind", "id"])
            }
        }
        migrator.registerMigration("v3: proxmox instances") { db in
            // The instance as JSON (no secrets) and its credentials sealed with SecretBox.
            try db.create(table: "proxmoxInstance") { table in
                table.primaryKey("id", .text)
                table.column("body", .blob).notNull()
                table.column("sealedCredentials", .blob).notNull()
            }
            try db.create(table: "counter") { table in
                table.primaryKey("name", .text)
                table.column("value", .integer).notNull()
            }
        }
        migrator.registerMigration("v4: alerts") { db in
            // Named JSON documents: the alert configuration, and the alert book with its rule memory.
            try db.create(table: "alertDocument") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
        }
        migrator.registerMigration("v5: sessions and audit log") { db in
            // Session IDs and CSRF tokens are stored as SHA-256 hashes only.
            try db.create(table: "session") { table in
                table.primaryKey("idHash", .text)
                table.column("username", .text).notNull()
                table.column("csrfHash", .text).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("lastActivity", .datetime).notNull()
                table.column("rememberMe", .boolean).notNull()
            }
            try db.create(table: "auditEvent") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .datetime).notNull().indexed()
                table.column("event", .text).notNull()
                table.column("actor", .text)
                table.column("ip", .text)
                table.column("success", .boolean).notNull()
                table.column("details", .text)
            }
        }
        migrator.registerMigration("v6: notification queue") { db in
            // One row per delivery to one channel; the message is JSON (alerts, no secrets).
            try db.create(table: "notificationJob") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("channel", .text).notNull()
                table.column("message", .blob).notNull()
                table.column("status", .text).notNull().indexed()
                table.column("attempts", .integer).notNull()
                table.column("nextAttemptAt", .datetime).notNull()
                table.column("lastError", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v7: resource metadata") { db in
            // User annotations of guests, hosts, containers and Docker hosts: JSON, no secrets.
            try db.create(table: "resourceMetadata") { table in
                table.column("kind", .text).notNull()
                table.column("id", .text).notNull()
                table.column("body", .blob).notNull()
                table.primaryKey(["kind", "id"])
            }
        }
        migrator.registerMigration("v8: settings") { db in
            // Named JSON documents: the system settings, and each user's dashboard settings.
            try db.create(table: "settingsDocument") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
        }
        migrator.registerMigration("v9: session role and sign-in") { db in
            // Single sign-on makes viewers; every session before it was a password login of an admin.
            try db.alter(table: "session") { table in
                table.add(column: "role", .text).notNull().defaults(to: "admin")
                table.add(column: "signIn", .text).notNull().defaults(to: "password")
            }
        }
        migrator.registerMigration("v10: alert incidents") { db in
            // One JSON document per incident (its timeline and users' notes), named by incident ID.
            try db.create(table: "alertIncident") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
        }
        migrator.registerMigration("v11: host agent control") { db in
            // Per host agent: the settings pushed to it, a manual node link, an uninstall request (JSON, no secrets).
            try db.create(table: "hostAgentControl") { table in
                table.primaryKey("hostId", .text)
                table.column("body", .blob).notNull()
            }
        }
        migrator.registerMigration("v12: ai usage") { db in
            // Tokens the assistant used, per UTC day, provider and model (no prompts, no keys).
            try db.create(table: "aiUsage") { table in
                table.column("day", .text).notNull()
                table.column("provider", .text).notNull()
                table.column("model", .text).notNull()
                table.column("requests", .integer).notNull()
                table.column("inputTokens", .integer).notNull()
                table.column("outputTokens", .integer).notNull()
                table.primaryKey(["day", "provider", "model"])
            }
        }
        migrator.registerMigration("v13: patrol and license") { db in
            // Patrol's findings, runs, suppression rules and observations (JSON documents by name).
            try db.create(table: "patrolDocument") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
            // The activated license document, as the operator pasted it (signed; no secret).
            try db.create(table: "licenseDocument") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
        }
        return migrator
    }
}

package import Foundation
import GRDB

/// One security event as stored in the `auditEvent` table.
package struct AuditEvent: Codable, Sendable, Equatable {
    package var id: Int64?
    package var time: Date
    /// `login`, `login_failed`, `lockout`, `logout`, `password_change`, `token_create`,
    /// `token_delete`, `lockout_reset`, `settings_change`, `proxy_auth_failed`.
    package var event: String
    package var actor: String?
    package var ip: String?
    package var success: Bool
    package var details: String?

    /// Every stored property, in declaration order.
    package init(id: Int64? = nil, time: Date, event: String, actor: String?, ip: String?, success: Bool, details: String?) {
        self.id = id
        self.time = time
        self.event = event
        self.actor = actor
        self.ip = ip
        self.success = success
        self.details = details
    }
}

/// The `auditEvent` table.
package struct AuditEventTable: Sendable {
    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    /// Adds `event` and drops the events older than `oldest`, in one transaction.
    package func insert(_ event: AuditEvent, droppingBefore oldest: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO auditEvent (time, event, actor, ip, success, details) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.time, event.event, event.actor, event.ip, event.success, event.details])
            try db.execute(sql: "DELETE FROM auditEvent WHERE time < ?", arguments: [oldest])
        }
    }

    /// Newest first.
    package func recent(limit: Int) throws -> [AuditEvent] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditEvent(
                    id: row["id"], time: row["time"], event: row["event"], actor: row["actor"], ip: row["ip"], success: row["success"],
                    details: row["details"])
            }
        }
    }
}

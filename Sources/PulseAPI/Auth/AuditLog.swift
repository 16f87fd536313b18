package import Foundation
import GRDB
package import Logging
package import Persistence
package import PulseSupport

/// Security events (logins, lockouts, password and token changes, settings changes), kept in
/// the database and logged. Details never hold secrets.
package struct AuditLog: Sendable {
    package struct Event: Codable, Sendable, Equatable {
        package var id: Int64?
        package var time: Date
        /// `login`, `login_failed`, `lockout`, `logout`, `password_change`, `token_create`,
        /// `token_delete`, `lockout_reset`, `settings_change`.
        package var event: String
        package var actor: String?
        package var ip: String?
        package var success: Bool
        package var details: String?
    }

    /// Events older than this are dropped when new ones are written.
    package static let retention: TimeInterval = 90 * 86_400

    package let database: PulseDatabase
    package let time: any TimeSource
    package let logger: Logger

    package func record(_ event: String, actor: String?, ip: String?, success: Bool = true, details: String? = nil) {
        let now = time.now()
        logger.notice(
            "audit", metadata: ["event": .string(event), "actor": .string(actor ?? "-"), "ip": .string(ip ?? "-"), "success": "\(success)"])
        do {
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO auditEvent (time, event, actor, ip, success, details) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [now, event, actor, ip, success, details])
                try db.execute(sql: "DELETE FROM auditEvent WHERE time < ?", arguments: [now.addingTimeInterval(-Self.retention)])
            }
        } catch {
            logger.error("writing the audit log failed", metadata: ["event": .string(event), "error": "\(error)"])
        }
    }

    /// Newest first.
    func recent(limit: Int) throws -> [Event] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEvent ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                Event(
                    id: row["id"], time: row["time"], event: row["event"], actor: row["actor"], ip: row["ip"], success: row["success"],
                    details: row["details"])
            }
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase, time: any TimeSource, logger: Logger) {
        self.database = database
        self.time = time
        self.logger = logger
    }
}

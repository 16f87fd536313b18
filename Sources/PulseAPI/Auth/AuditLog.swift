package import Foundation
package import Logging
package import Persistence
package import PulseSupport

/// Security events (logins, lockouts, password and token changes, settings changes), kept in
/// the database and logged. Details never hold secrets.
package struct AuditLog: Sendable {
    package typealias Event = AuditEvent

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
            try AuditEventTable(database: database).insert(
                AuditEvent(time: now, event: event, actor: actor, ip: ip, success: success, details: details),
                droppingBefore: now.addingTimeInterval(-Self.retention))
        } catch {
            logger.error("writing the audit log failed", metadata: ["event": .string(event), "error": "\(error)"])
        }
    }

    /// Newest first.
    func recent(limit: Int) throws -> [Event] {
        try AuditEventTable(database: database).recent(limit: limit)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase, time: any TimeSource, logger: Logger) {
        self.database = database
        self.time = time
        self.logger = logger
    }
}

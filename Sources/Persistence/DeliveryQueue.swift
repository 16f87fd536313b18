package import Foundation
import GRDB

/// Deliveries waiting, done, or given up on, in the database: a restart loses none. `Message`
/// is what is delivered (the notification layer's message), stored as JSON.
///
/// A failed delivery is retried after 30 s, 1 min, 2 min, 4 min…; after `maximumAttempts`
/// failures it goes to the dead-letter queue, from which an admin can retry or delete it.
package struct DeliveryQueue<Message: Codable & Sendable & Equatable>: Sendable {
    package enum Status: String, Codable, Sendable {
        case queued, sent, dead
    }

    package struct Job: Codable, Sendable, Equatable {
        package var id: Int64
        /// `webhook:<id>`, `email` or `apprise`.
        package var channel: String
        package var message: Message
        package var status: Status
        package var attempts: Int
        package var nextAttemptAt: Date
        package var lastError: String?
        package var createdAt: Date
        package var updatedAt: Date
    }

    package struct Stats: Encodable, Sendable {
        package var queued: Int
        package var sent: Int
        package var dead: Int
        var oldestQueued: Date?
    }

    package static var maximumAttempts: Int { 5 }
    package static var firstRetry: TimeInterval { 30 }
    package static var longestRetry: TimeInterval { 3600 }
    /// Sent jobs are kept this long for the delivery history.
    package static var sentRetention: TimeInterval { 7 * 86_400 }

    package let database: PulseDatabase

    package func enqueue(channel: String, message: Message, at now: Date) throws {
        let body = try JSONEncoder().encode(message)
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO notificationJob (channel, message, status, attempts, nextAttemptAt, createdAt, updatedAt) VALUES (?, ?, 'queued', 0, ?, ?, ?)",
                arguments: [channel, body, now, now, now])
        }
    }

    package func due(at now: Date, limit: Int = 50) throws -> [Job] {
        try jobs(where: "status = 'queued' AND nextAttemptAt <= ? ORDER BY nextAttemptAt LIMIT ?", [now, limit])
    }

    package func markSent(_ id: Int64, at now: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE notificationJob SET status = 'sent', attempts = attempts + 1, lastError = NULL, updatedAt = ? WHERE id = ?",
                arguments: [now, id])
            try db.execute(
                sql: "DELETE FROM notificationJob WHERE status = 'sent' AND updatedAt < ?", arguments: [now.addingTimeInterval(-Self.sentRetention)])
        }
    }

    /// Schedules the next attempt, or moves the job to the dead-letter queue.
    package func markFailed(_ job: Job, error: String, at now: Date) throws {
        let attempts = job.attempts + 1
        let dead = attempts >= Self.maximumAttempts
        let delay = min(Self.longestRetry, Self.firstRetry * pow(2, Double(attempts - 1)))
        try database.write { db in
            try db.execute(
                sql: "UPDATE notificationJob SET status = ?, attempts = ?, lastError = ?, nextAttemptAt = ?, updatedAt = ? WHERE id = ?",
                arguments: [dead ? Status.dead.rawValue : Status.queued.rawValue, attempts, error, now.addingTimeInterval(delay), now, job.id])
        }
    }

    /// Puts dead jobs back in the queue for an immediate attempt; all of them when `ids` is nil.
    package func retryDead(_ ids: [Int64]?, at now: Date) throws -> Int {
        try database.write { db in
            let filter = ids.map { "AND id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
            try db.execute(
                sql: "UPDATE notificationJob SET status = 'queued', attempts = 0, nextAttemptAt = ?, updatedAt = ? WHERE status = 'dead' \(filter)",
                arguments: [now, now])
            return db.changesCount
        }
    }

    package func deleteDead(_ ids: [Int64]?) throws -> Int {
        try database.write { db in
            let filter = ids.map { "AND id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
            try db.execute(sql: "DELETE FROM notificationJob WHERE status = 'dead' \(filter)")
            return db.changesCount
        }
    }

    package func dead(limit: Int = 200) throws -> [Job] {
        try jobs(where: "status = 'dead' ORDER BY updatedAt DESC LIMIT ?", [limit])
    }

    /// Recent deliveries (sent or dead) of channels starting with `prefix`, newest first.
    package func history(channelPrefix prefix: String, limit: Int = 100) throws -> [Job] {
        try jobs(where: "status != 'queued' AND channel LIKE ? ORDER BY updatedAt DESC LIMIT ?", [prefix + "%", limit])
    }

    package func stats() throws -> Stats {
        try database.read { db in
            let counts = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM notificationJob GROUP BY status")
                .reduce(into: [String: Int]()) { $0[$1["status"]] = $1["n"] }
            let oldest = try Date.fetchOne(db, sql: "SELECT MIN(createdAt) FROM notificationJob WHERE status = 'queued'")
            return Stats(queued: counts["queued"] ?? 0, sent: counts["sent"] ?? 0, dead: counts["dead"] ?? 0, oldestQueued: oldest)
        }
    }

    private func jobs(where clause: String, _ values: [any DatabaseValueConvertible]) throws -> [Job] {
        let arguments = StatementArguments(values.map { $0.databaseValue })
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM notificationJob WHERE \(clause)", arguments: arguments).map { row in
                Job(
                    id: row["id"], channel: row["channel"], message: try JSONDecoder().decode(Message.self, from: row["message"]),
                    status: Status(rawValue: row["status"]) ?? .queued, attempts: row["attempts"], nextAttemptAt: row["nextAttemptAt"],
                    lastError: row["lastError"], createdAt: row["createdAt"], updatedAt: row["updatedAt"])
            }
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase) {
        self.database = database
    }
}

package import Foundation
import GRDB

/// Tokens the assistant used, summed per UTC day (`yyyy-MM-dd`), provider and model.
package struct AIUsageTable: Sendable {
    /// One day's use of one model.
    package struct Row: Sendable, Equatable {
        package var day: String
        package var provider: String
        package var model: String
        package var requests: Int
        package var inputTokens: Int
        package var outputTokens: Int

        package init(day: String, provider: String, model: String, requests: Int, inputTokens: Int, outputTokens: Int) {
            self.day = day
            self.provider = provider
            self.model = model
            self.requests = requests
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
        }
    }

    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    /// Adds one request's tokens to its day's row.
    package func add(provider: String, model: String, inputTokens: Int, outputTokens: Int, at time: Date) throws {
        let day = Self.day(of: time)
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO aiUsage (day, provider, model, requests, inputTokens, outputTokens) VALUES (?, ?, ?, 1, ?, ?)
                    ON CONFLICT(day, provider, model) DO UPDATE SET requests = requests + 1,
                    inputTokens = inputTokens + excluded.inputTokens, outputTokens = outputTokens + excluded.outputTokens
                    """,
                arguments: [day, provider, model, inputTokens, outputTokens])
        }
    }

    /// The rows of the days from `since` (a `yyyy-MM-dd`) on, oldest first.
    package func rows(since: String) throws -> [Row] {
        try database.read { db in
            try GRDB.Row.fetchAll(
                db, sql: "SELECT * FROM aiUsage WHERE day >= ? ORDER BY day, provider, model", arguments: [since]
            ).map { row in
                Row(
                    day: row["day"], provider: row["provider"], model: row["model"], requests: row["requests"],
                    inputTokens: row["inputTokens"], outputTokens: row["outputTokens"])
            }
        }
    }

    /// Forgets every row.
    package func reset() throws {
        try database.write { db in try db.execute(sql: "DELETE FROM aiUsage") }
    }

    /// The UTC day of `time`.
    package static func day(of time: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: time)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

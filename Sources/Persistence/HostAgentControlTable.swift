package import Foundation
import GRDB
package import PulseCore

/// The `hostAgentControl` table: what the server holds for each host agent (settings, manual
/// node link, uninstall request) as JSON, by host ID.
package struct HostAgentControlTable: Sendable {
    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    /// Every stored control; a row that no longer decodes is skipped.
    package func all() throws -> [String: HostAgentControl] {
        let decoder = JSONDecoder()
        return try database.read { db in
            var result: [String: HostAgentControl] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT hostId, body FROM hostAgentControl") {
                guard let control = try? decoder.decode(HostAgentControl.self, from: row["body"] as Data) else { continue }
                result[row["hostId"]] = control
            }
            return result
        }
    }

    /// Stores `control` for host `id`, or removes the row when the control is empty.
    package func save(_ control: HostAgentControl, hostID id: String) throws {
        guard !control.isEmpty else {
            try delete(hostID: id)
            return
        }
        let body = try JSONEncoder().encode(control)
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO hostAgentControl (hostId, body) VALUES (?, ?) ON CONFLICT(hostId) DO UPDATE SET body = excluded.body",
                arguments: [id, body])
        }
    }

    /// Removes host `id`'s row, if any.
    package func delete(hostID id: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM hostAgentControl WHERE hostId = ?", arguments: [id])
        }
    }
}

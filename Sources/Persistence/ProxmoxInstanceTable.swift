package import Foundation
import GRDB

/// The `proxmoxInstance` table: each configured instance's settings (JSON) and its sealed
/// credentials, by ID. What the bytes mean is the polling layer's business.
package struct ProxmoxInstanceTable: Sendable {
    package struct Row: Sendable {
        package var body: Data
        package var sealedCredentials: Data

        package init(body: Data, sealedCredentials: Data) {
            self.body = body
            self.sealedCredentials = sealedCredentials
        }
    }

    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    package func all() throws -> [Row] {
        try database.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT body, sealedCredentials FROM proxmoxInstance").map {
                Row(body: $0["body"], sealedCredentials: $0["sealedCredentials"])
            }
        }
    }

    /// Stores the instance `id`, replacing what was there.
    package func save(id: String, _ row: Row) throws {
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO proxmoxInstance (id, body, sealedCredentials) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body, sealedCredentials = excluded.sealedCredentials",
                arguments: [id, row.body, row.sealedCredentials])
        }
    }

    package func delete(id: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM proxmoxInstance WHERE id = ?", arguments: [id]) }
    }
}

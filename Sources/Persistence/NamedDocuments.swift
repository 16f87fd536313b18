package import Foundation
import GRDB

/// JSON documents stored by name in one table (`name TEXT PRIMARY KEY, body BLOB`), for a layer
/// whose state is a few whole documents (the alert configuration and book).
package struct NamedDocuments: Sendable {
    private let database: PulseDatabase
    private let table: String

    /// `table` is one of the tables `PulseDatabase` creates; never a value from a request.
    package init(database: PulseDatabase, table: String) {
        self.database = database
        self.table = table
    }

    /// Every stored document by name.
    package func loadAll() throws -> [String: Data] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, body FROM \(table)").reduce(into: [String: Data]()) { $0[$1["name"]] = $1["body"] }
        }
    }

    /// Stores `body` under `name`, replacing what was there.
    package func save(_ body: Data, as name: String) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO \(table) (name, body) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET body = excluded.body",
                arguments: [name, body])
        }
    }

    /// Removes the documents named `names`; names not stored are ignored.
    package func delete(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        try database.write { db in
            for name in names { try db.execute(sql: "DELETE FROM \(table) WHERE name = ?", arguments: [name]) }
        }
    }
}

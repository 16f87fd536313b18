package import Foundation
import GRDB
package import PulseCore

/// The `resourceMetadata` table: each resource's user metadata as JSON, by kind and ID.
package struct MetadataTable: Sendable {
    private let database: PulseDatabase

    package init(database: PulseDatabase) {
        self.database = database
    }

    /// Every stored record; a row that no longer decodes is skipped.
    package func all() throws -> [MetadataKind: [String: ResourceMetadata]] {
        let decoder = JSONDecoder()
        return try database.read { db in
            var result: [MetadataKind: [String: ResourceMetadata]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, id, body FROM resourceMetadata") {
                guard let kind = MetadataKind(rawValue: row["kind"]),
                    let record = try? decoder.decode(ResourceMetadata.self, from: row["body"] as Data)
                else { continue }
                result[kind, default: [:]][row["id"]] = record
            }
            return result
        }
    }

    /// Stores `record`, replacing what was there.
    package func save(_ record: ResourceMetadata, kind: MetadataKind) throws {
        let body = try JSONEncoder().encode(record)
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO resourceMetadata (kind, id, body) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body",
                arguments: [kind.rawValue, record.id, body])
        }
    }

    /// Removes a record; false when there was none.
    package func delete(kind: MetadataKind, id: String) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM resourceMetadata WHERE kind = ? AND id = ?", arguments: [kind.rawValue, id])
            return db.changesCount > 0
        }
    }

    /// Replaces every record of every kind (an import), in one transaction.
    package func replaceAll(_ records: [MetadataKind: [String: ResourceMetadata]]) throws {
        let encoder = JSONEncoder()
        let rows = try records.flatMap { kind, byID in try byID.values.map { (kind.rawValue, $0.id, try encoder.encode($0)) } }
        try database.write { db in
            try db.execute(sql: "DELETE FROM resourceMetadata")
            for (kind, id, body) in rows {
                try db.execute(sql: "INSERT INTO resourceMetadata (kind, id, body) VALUES (?, ?, ?)", arguments: [kind, id, body])
            }
        }
    }
}

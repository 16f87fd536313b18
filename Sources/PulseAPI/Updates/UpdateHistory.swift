import AgentProtocol
package import Foundation
import Persistence

/// One update or rollback, as `GET /api/updates/history` lists it (the seed's field names).
package struct UpdateHistoryEntry: Codable, Sendable, Equatable {
    package enum Action: String, Codable, Sendable { case update, rollback }
    package enum Status: String, Codable, Sendable, CaseIterable { case pending, inProgress = "in_progress", completed, failed }

    package let id: String
    package let action: Action
    /// The version installed (an update) or put back (a rollback).
    package let version: String
    package let fromVersion: String
    package let channel: String
    package var status: Status
    /// When it was asked for.
    package let timestamp: Date
    /// `ui` (a dashboard session) or `api` (a token).
    package let initiatedVia: String
    /// A rollback's update.
    package let relatedEventID: String?
    /// The data backup taken before an update.
    package var backupPath: String?
    package var durationSeconds: Int
    package var error: String?

    enum CodingKeys: String, CodingKey {
        case id, action, version, fromVersion, channel, status, timestamp
        case initiatedVia = "initiated_via", relatedEventID = "related_event_id", backupPath = "backup_path"
        case durationSeconds = "duration_seconds", error
    }

    /// Every key, `null` where empty, as the seed shows them.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(action, forKey: .action)
        try container.encode(version, forKey: .version)
        try container.encode(fromVersion, forKey: .fromVersion)
        try container.encode(channel, forKey: .channel)
        try container.encode(status, forKey: .status)
        try container.encode(RFC3339.format(timestamp) ?? "", forKey: .timestamp)
        try container.encode(initiatedVia, forKey: .initiatedVia)
        try container.encode(relatedEventID, forKey: .relatedEventID)
        try container.encode(backupPath, forKey: .backupPath)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(error, forKey: .error)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        action = try container.decode(Action.self, forKey: .action)
        version = try container.decode(String.self, forKey: .version)
        fromVersion = try container.decode(String.self, forKey: .fromVersion)
        channel = try container.decode(String.self, forKey: .channel)
        status = try container.decode(Status.self, forKey: .status)
        timestamp = RFC3339.parse(try container.decode(String.self, forKey: .timestamp)) ?? Date(timeIntervalSince1970: 0)
        initiatedVia = try container.decode(String.self, forKey: .initiatedVia)
        relatedEventID = try container.decodeIfPresent(String.self, forKey: .relatedEventID)
        backupPath = try container.decodeIfPresent(String.self, forKey: .backupPath)
        durationSeconds = try container.decodeIfPresent(Int.self, forKey: .durationSeconds) ?? 0
        error = try container.decodeIfPresent(String.self, forKey: .error)
    }

    package init(
        action: Action, version: String, fromVersion: String, channel: String, timestamp: Date, initiatedVia: String,
        relatedEventID: String? = nil
    ) {
        id = UUID().uuidString.lowercased()
        self.action = action
        self.version = version
        self.fromVersion = fromVersion
        self.channel = channel
        status = .pending
        self.timestamp = timestamp
        self.initiatedVia = initiatedVia
        self.relatedEventID = relatedEventID
        durationSeconds = 0
    }
}

/// The update history: a JSON file in the data folder (`update-history.json`, 0600), newest
/// last, at most `limit` entries. A file and not a table because a rollback puts back the
/// database as it was before the update, and the history must survive that.
package actor UpdateHistory {
    private let path: String
    private let limit: Int
    private var entries: [UpdateHistoryEntry]

    /// Reads the file; a missing or unreadable one starts an empty history.
    package init(path: String, limit: Int = 100) {
        self.path = path
        self.limit = limit
        let data = FileManager.default.contents(atPath: path) ?? Data()
        entries = (try? JSONDecoder().decode([UpdateHistoryEntry].self, from: data)) ?? []
    }

    /// Newest first, at most `limit`, only `status` when given.
    package func list(limit: Int, status: UpdateHistoryEntry.Status? = nil) -> [UpdateHistoryEntry] {
        Array(entries.reversed().filter { status == nil || $0.status == status }.prefix(limit))
    }

    package func entry(id: String) -> UpdateHistoryEntry? {
        entries.first { $0.id == id }
    }

    /// Adds or replaces (by id) `entry` and writes the file.
    package func record(_ entry: UpdateHistoryEntry) throws {
        if let index = entries.firstIndex(where: { $0.id == entry.id }) {
            entries[index] = entry
        } else {
            entries.append(entry)
            if entries.count > limit { entries.removeFirst(entries.count - limit) }
        }
        try AtomicFile.write(try JSONEncoder().encode(entries), to: path, mode: 0o600)
    }

    /// The newest completed update, and whether a completed rollback already undid it.
    package func latestCompletedUpdate() -> (entry: UpdateHistoryEntry, rolledBack: Bool)? {
        guard let update = entries.last(where: { $0.action == .update && $0.status == .completed }) else { return nil }
        let rolledBack = entries.contains { $0.action == .rollback && $0.status == .completed && $0.relatedEventID == update.id }
        return (update, rolledBack)
    }

    /// Entries a server stopped in the middle of (it was killed, or the machine went down) are
    /// marked failed at start: nothing will finish them.
    package func failUnfinished(reason: String) throws {
        var changed = false
        for index in entries.indices where [.pending, .inProgress].contains(entries[index].status) {
            entries[index].status = .failed
            entries[index].error = reason
            changed = true
        }
        if changed { try AtomicFile.write(try JSONEncoder().encode(entries), to: path, mode: 0o600) }
    }
}

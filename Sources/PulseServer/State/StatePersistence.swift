import AgentProtocol
import Foundation
import GRDB

/// Saves agent records and removal blocks to the database and restores them at start, so a
/// restart keeps every host, container and cluster with its last report.
struct StatePersistence: Sendable {
    let database: PulseDatabase

    /// Everything stored, for `MonitoringState.restore`.
    struct Saved: Sendable {
        var hosts: [HostAgentRecord] = []
        var dockerHosts: [DockerAgentRecord] = []
        var kubernetesClusters: [KubernetesAgentRecord] = []
        var removed: [RemovedAgent] = []
        /// Rows that could not be decoded (kept out of the state, reported at start).
        var unreadable = 0
    }

    /// The rows to write in one flush: bodies to upsert and keys to delete.
    struct Batch: Sendable {
        var upserts: [(AgentRef, Data)] = []
        var deletions: [AgentRef] = []
        var removedUpserts: [(AgentRef, Data)] = []
        var removedDeletions: [AgentRef] = []
        var isEmpty: Bool { upserts.isEmpty && deletions.isEmpty && removedUpserts.isEmpty && removedDeletions.isEmpty }
    }

    func load() throws -> Saved {
        let decoder = AgentJSON.makeDecoder()
        var saved = Saved()
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT kind, id, body FROM agentRecord") }
        for row in rows {
            let body: Data = row["body"]
            do {
                switch AgentKind(rawValue: row["kind"]) {
                case .host: saved.hosts.append(try decoder.decode(HostAgentRecord.self, from: body))
                case .docker: saved.dockerHosts.append(try decoder.decode(DockerAgentRecord.self, from: body))
                case .kubernetes: saved.kubernetesClusters.append(try decoder.decode(KubernetesAgentRecord.self, from: body))
                case nil: saved.unreadable += 1
                }
            } catch {
                saved.unreadable += 1
            }
        }
        let blocks = try database.read { db in try Data.fetchAll(db, sql: "SELECT body FROM removedAgent") }
        for body in blocks {
            if let block = try? decoder.decode(RemovedAgent.self, from: body) { saved.removed.append(block) } else { saved.unreadable += 1 }
        }
        return saved
    }

    /// Writes a batch in one transaction.
    func write(_ batch: Batch) throws {
        guard !batch.isEmpty else { return }
        try database.write { db in
            for (ref, body) in batch.upserts {
                try db.execute(
                    sql: "INSERT INTO agentRecord (kind, id, body) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body",
                    arguments: [ref.kind.rawValue, ref.id, body])
            }
            for ref in batch.deletions {
                try db.execute(sql: "DELETE FROM agentRecord WHERE kind = ? AND id = ?", arguments: [ref.kind.rawValue, ref.id])
            }
            for (ref, body) in batch.removedUpserts {
                try db.execute(
                    sql: "INSERT INTO removedAgent (kind, id, body) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body",
                    arguments: [ref.kind.rawValue, ref.id, body])
            }
            for ref in batch.removedDeletions {
                try db.execute(sql: "DELETE FROM removedAgent WHERE kind = ? AND id = ?", arguments: [ref.kind.rawValue, ref.id])
            }
        }
    }
}

extension MonitoringState {
    /// Loads saved records into an empty state. Statuses start from boot, not from the saved
    /// receive times, so nothing is declared offline merely because the server was down.
    func restore(_ saved: StatePersistence.Saved) {
        for record in saved.hosts {
            hosts[record.id] = record
            if let token = record.token { hostBindings[Self.bindingKey(tokenID: token.id, hostname: record.hostname)] = record.id }
        }
        for record in saved.dockerHosts { dockerHosts[record.id] = record }
        for record in saved.kubernetesClusters { kubernetesClusters[record.id] = record }
        for block in saved.removed { removed[AgentRef(kind: block.kind, id: block.id).key] = block }
        knownStatus = currentStatuses(at: time.now())
    }

    /// Takes what changed since the last call, encoded and ready for `StatePersistence.write`.
    func takePendingBatch() throws -> StatePersistence.Batch {
        guard !pendingWrites.isEmpty else { return StatePersistence.Batch() }
        let encoder = AgentJSON.makeEncoder()
        var batch = StatePersistence.Batch()
        for ref in pendingWrites.records {
            let body: Data? =
                switch ref.kind {
                case .host: try hosts[ref.id].map { try encoder.encode($0) }
                case .docker: try dockerHosts[ref.id].map { try encoder.encode($0) }
                case .kubernetes: try kubernetesClusters[ref.id].map { try encoder.encode($0) }
                }
            if let body { batch.upserts.append((ref, body)) } else { batch.deletions.append(ref) }
        }
        for ref in pendingWrites.removed {
            if let block = removed[ref.key] {
                batch.removedUpserts.append((ref, try encoder.encode(block)))
            } else {
                batch.removedDeletions.append(ref)
            }
        }
        pendingWrites = PendingWrites()
        return batch
    }

    /// Puts a batch that failed to write back in the queue so the next flush retries it.
    func requeue(_ batch: StatePersistence.Batch) {
        for (ref, _) in batch.upserts { pendingWrites.records.insert(ref) }
        for ref in batch.deletions { pendingWrites.records.insert(ref) }
        for (ref, _) in batch.removedUpserts { pendingWrites.removed.insert(ref) }
        for ref in batch.removedDeletions { pendingWrites.removed.insert(ref) }
    }
}

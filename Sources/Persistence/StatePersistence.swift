import AgentJSONFoundation
import AgentProtocol
package import Foundation
import GRDB
package import PulseCore
import PulseSupport

/// Saves agent records and removal blocks to the database and restores them at start, so a
/// restart keeps every host, container and cluster with its last report.
package struct StatePersistence: Sendable {
    package let database: PulseDatabase

    /// Everything stored, for `MonitoringState.restore`.
    package struct Saved: Sendable {
        package var hosts: [HostAgentRecord] = []
        package var dockerHosts: [DockerAgentRecord] = []
        package var kubernetesClusters: [KubernetesAgentRecord] = []
        package var removed: [RemovedAgent] = []
        /// Rows that could not be decoded (kept out of the state, reported at start).
        package var unreadable = 0
    }

    /// The rows to write in one flush: bodies to upsert and keys to delete.
    package struct Batch: Sendable {
        var upserts: [(AgentRef, Data)] = []
        var deletions: [AgentRef] = []
        var removedUpserts: [(AgentRef, Data)] = []
        var removedDeletions: [AgentRef] = []
        package var isEmpty: Bool { upserts.isEmpty && deletions.isEmpty && removedUpserts.isEmpty && removedDeletions.isEmpty }
    }

    package func load() throws -> Saved {
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

    /// One saved record of any kind.
    package enum Record: Sendable {
        case host(HostAgentRecord)
        case docker(DockerAgentRecord)
        case kubernetes(KubernetesAgentRecord)

        /// The token that reports it.
        var token: ReportingToken? {
            switch self {
            case .host(let record): record.token
            case .docker(let record): record.token
            case .kubernetes(let record): record.token
            }
        }
    }

    /// What changed: each record's current value, or nil where it was deleted.
    package struct Changes: Sendable {
        package var records: [(AgentRef, Record?)] = []
        package var removed: [(AgentRef, RemovedAgent?)] = []
        package var isEmpty: Bool { records.isEmpty && removed.isEmpty }
    }

    /// Encodes changes into database rows, member after member (`StreamingJSONEncoder`; Foundation's
    /// encoder built each record as a tree of dictionaries first, some 11 µs of server CPU per Docker
    /// report under load). What `load` reads back is the same: the agents' JSON conventions, and a
    /// date RFC 3339 cannot write is an error here, as it was.
    package func encode(_ changes: Changes) throws -> Batch {
        let encoder = StreamingJSONEncoder(refusingUnwritableDates: true)
        func body(_ value: some Encodable) throws -> Data { Data(try encoder.encode(value)) }
        var batch = Batch()
        for (ref, record) in changes.records {
            switch record {
            case .host(let value): batch.upserts.append((ref, try body(value)))
            case .docker(let value): batch.upserts.append((ref, try body(value)))
            case .kubernetes(let value): batch.upserts.append((ref, try body(value)))
            case nil: batch.deletions.append(ref)
            }
        }
        for (ref, block) in changes.removed {
            if let block { batch.removedUpserts.append((ref, try body(block))) } else { batch.removedDeletions.append(ref) }
        }
        return batch
    }

    /// Encodes and writes changes, `chunkSize` records per transaction: a thousand Docker hosts
    /// encode to some 14 MB, which need not all be in memory at once.
    package func save(_ changes: Changes, chunkSize: Int = 64) throws {
        var start = 0
        repeat {
            let end = min(start + chunkSize, changes.records.count)
            var chunk = Changes(records: Array(changes.records[start..<end]))
            if start == 0 { chunk.removed = changes.removed }
            try write(encode(chunk))
            start = end
        } while start < changes.records.count
    }

    /// Writes a batch in one transaction.
    package func write(_ batch: Batch) throws {
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

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase) {
        self.database = database
    }
}

extension MonitoringState {
    /// Loads saved records into an empty state. Statuses start from boot, not from the saved
    /// receive times, so nothing is declared offline merely because the server was down.
    package func restore(_ saved: StatePersistence.Saved) {
        for record in saved.hosts {
            hosts[record.id] = record
            if let token = record.token { hostBindings[Self.bindingKey(tokenID: token.id, hostname: record.hostname)] = record.id }
        }
        for record in saved.dockerHosts { dockerHosts[record.id] = record }
        for record in saved.kubernetesClusters { kubernetesClusters[record.id] = record }
        for block in saved.removed { removed[AgentRef(kind: block.kind, id: block.id).key] = block }
        knownStatus = currentStatuses(at: time.now())
    }

    /// Takes the changes to write now. Only copies values here (cheap, copy-on-write); encoding
    /// happens in `StatePersistence.encode`, off the actor, so ingest never waits on it.
    ///
    /// A record that is already on disk is taken again only once it was last taken `rewriteAfter`
    /// seconds ago (the others stay pending): an agent reporting every few seconds would
    /// otherwise have its whole report encoded and written on every flush, for a copy that is
    /// only read at the next start. New and deleted records, and removal blocks, are always
    /// taken; a flush with `rewriteAfter: 0` (shutdown) takes all.
    package func takePendingChanges(rewriteAfter: TimeInterval = 0) -> StatePersistence.Changes {
        guard !pendingWrites.isEmpty else { return StatePersistence.Changes() }
        let now = time.now()
        var changes = StatePersistence.Changes()
        var deferred: Set<AgentRef> = []
        for ref in pendingWrites.records {
            let record: StatePersistence.Record? =
                switch ref.kind {
                case .host: hosts[ref.id].map(StatePersistence.Record.host)
                case .docker: dockerHosts[ref.id].map(StatePersistence.Record.docker)
                case .kubernetes: kubernetesClusters[ref.id].map(StatePersistence.Record.kubernetes)
                }
            // Demo mode's records live in memory only (`ReportingToken.isDemoMode`).
            if record?.token?.isDemoMode == true { continue }
            if record != nil, let written = pendingWrites.writtenAt[ref], now.timeIntervalSince(written) < rewriteAfter {
                deferred.insert(ref)
                continue
            }
            pendingWrites.writtenAt[ref] = record == nil ? nil : now
            changes.records.append((ref, record))
        }
        for ref in pendingWrites.removed { changes.removed.append((ref, removed[ref.key])) }
        pendingWrites.records = deferred
        pendingWrites.removed = []
        return changes
    }

    /// Puts changes that failed to write back in the queue so the next flush retries them.
    package func requeue(_ changes: StatePersistence.Changes) {
        for (ref, _) in changes.records {
            pendingWrites.records.insert(ref)
            pendingWrites.writtenAt[ref] = nil
        }
        for (ref, _) in changes.removed { pendingWrites.removed.insert(ref) }
    }
}

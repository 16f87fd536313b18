package import AgentProtocol
package import Foundation
import Synchronization

/// Per token, the containers of its last accepted Docker report with their digests, so that the
/// token's next report takes unchanged containers over instead of decoding them again (see
/// `ContainerReuse`).
///
/// An entry shares its containers' storage with the state's copy of the same report, so it costs
/// little while the host reports. Entries not refreshed for `lifetime` (a removed host, a revoked
/// token) are let go; the table never holds more than `capacity` entries.
package final class ContainerReuseCache: Sendable {
    private struct Entry {
        var reuse: ContainerReuse
        var storedAt: Date
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        var lastSweep = Date.distantPast
    }

    private let table = Mutex(Table())
    package let lifetime: TimeInterval
    package let capacity: Int

    package init(lifetime: TimeInterval = 900, capacity: Int = 20_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// What the token's previous report left to reuse (nothing for its first report).
    package func previous(forToken tokenID: String) -> ContainerReuse {
        table.withLock { $0.entries[tokenID]?.reuse } ?? ContainerReuse()
    }

    /// Keeps `reuse` for the token's next report.
    package func store(_ reuse: ContainerReuse, forToken tokenID: String, at now: Date) {
        let dropped = table.withLock { table -> [Entry] in
            var dropped: [Entry] = []
            if let replaced = table.entries.updateValue(Entry(reuse: reuse, storedAt: now), forKey: tokenID) { dropped.append(replaced) }
            if now.timeIntervalSince(table.lastSweep) >= 60 || table.entries.count > capacity {
                table.lastSweep = now
                dropped += Self.sweep(&table.entries, olderThan: now.addingTimeInterval(-lifetime), keeping: capacity)
            }
            return dropped
        }
        _ = dropped  // released here, outside the lock
    }

    /// Removes expired entries, then the oldest ones while there are more than `capacity`.
    private static func sweep(_ entries: inout [String: Entry], olderThan cutoff: Date, keeping capacity: Int) -> [Entry] {
        var dropped: [Entry] = []
        for (token, entry) in entries where entry.storedAt < cutoff {
            dropped.append(entry)
            entries[token] = nil
        }
        if entries.count > capacity {
            let oldest = entries.sorted { $0.value.storedAt < $1.value.storedAt }.prefix(entries.count - capacity)
            for (token, entry) in oldest {
                dropped.append(entry)
                entries[token] = nil
            }
        }
        return dropped
    }

    /// Tokens with an entry (for tests).
    package var count: Int { table.withLock { $0.entries.count } }
}

package import Foundation
import Synchronization

/// The snapshot of the newest state version, built once and shared by every reader: `/api/state`,
/// `/ws`, alert evaluation, metrics sampling and the Prometheus exposition.
///
/// A snapshot is a value; reading one never changes the state. Fields that follow the clock
/// rather than a change (uptime, the nodes' grace period, how long a removed agent stays blocked)
/// are at most `freshness` old: an older snapshot of the same version is built again.
package final class PublishedSnapshot: Sendable {
    private struct Entry {
        var version: UInt64
        var builtAt: Date
        var snapshot: StateSnapshot
    }

    private let latest = Mutex<Entry?>(nil)
    private let buildCount = Atomic<Int>(0)

    /// How long a snapshot of the current version is served before it is built again.
    package static let freshness: TimeInterval = 1

    package init() {}

    /// The published snapshot if it is of `version` and fresh at `now`.
    package func snapshot(ofVersion version: UInt64, at now: Date) -> StateSnapshot? {
        latest.withLock { entry in
            guard let entry, entry.version == version, now.timeIntervalSince(entry.builtAt) < Self.freshness,
                now >= entry.builtAt
            else { return nil }
            return entry.snapshot
        }
    }

    /// Publishes `snapshot` unless a newer one is already published.
    package func publish(_ snapshot: StateSnapshot, version: UInt64, builtAt: Date) {
        buildCount.add(1, ordering: .relaxed)
        latest.withLock { entry in
            if let current = entry, current.version > version || (current.version == version && current.builtAt > builtAt) { return }
            entry = Entry(version: version, builtAt: builtAt, snapshot: snapshot)
        }
    }

    /// Snapshots built so far (for tests and benchmarks).
    package var builds: Int { buildCount.load(ordering: .relaxed) }
}

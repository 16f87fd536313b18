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

    private struct Published {
        var entry: Entry?
        /// Versions below this are out of date: they are neither kept nor served.
        var oldestCurrent: UInt64 = 0
    }

    private let published = Mutex(Published())
    private let buildCount = Atomic<Int>(0)

    /// How long a snapshot of the current version is served before it is built again.
    package static let freshness: TimeInterval = 1

    package init() {}

    /// The published snapshot if it is of `version` and fresh at `now`.
    package func snapshot(ofVersion version: UInt64, at now: Date) -> StateSnapshot? {
        versioned(ofVersion: version, at: now)?.snapshot
    }

    /// The published snapshot with its version and build time, if it is of `version` and fresh at `now`.
    package func versioned(ofVersion version: UInt64, at now: Date) -> VersionedSnapshot? {
        published.withLock { published in
            guard let entry = published.entry, entry.version == version, now.timeIntervalSince(entry.builtAt) < Self.freshness,
                now >= entry.builtAt
            else { return nil }
            return VersionedSnapshot(snapshot: entry.snapshot, version: entry.version, builtAt: entry.builtAt)
        }
    }

    /// Publishes `snapshot` unless a newer one is already published or its version is out of date.
    package func publish(_ snapshot: StateSnapshot, version: UInt64, builtAt: Date) {
        buildCount.add(1, ordering: .relaxed)
        let replaced = published.withLock { published -> Entry? in
            guard version >= published.oldestCurrent else { return nil }
            if let current = published.entry, current.version > version || (current.version == version && current.builtAt > builtAt) {
                return nil
            }
            defer { published.entry = Entry(version: version, builtAt: builtAt, snapshot: snapshot) }
            return published.entry
        }
        _ = replaced  // released here, outside the lock
    }

    /// Called on every change of the state: a snapshot of an older version can never be served
    /// again, so it is let go now rather than kept beside the next one (with thousands of
    /// containers a snapshot is tens of megabytes).
    package func outdate(below version: UInt64) {
        let dropped = published.withLock { published -> Entry? in
            published.oldestCurrent = max(published.oldestCurrent, version)
            guard let entry = published.entry, entry.version < version else { return nil }
            published.entry = nil
            return entry
        }
        _ = dropped  // released here, outside the lock
    }

    /// Lets go of a snapshot that is no longer fresh at `now`: it would only be built again before
    /// it is served, so keeping it holds memory for nothing while the state is quiet.
    package func dropExpired(at now: Date) {
        let dropped = published.withLock { published -> Entry? in
            guard let entry = published.entry, now.timeIntervalSince(entry.builtAt) >= Self.freshness || now < entry.builtAt else { return nil }
            published.entry = nil
            return entry
        }
        _ = dropped  // released here, outside the lock
    }

    /// Whether a snapshot is kept (for tests).
    package var isHoldingOne: Bool { published.withLock { $0.entry != nil } }

    /// Snapshots built so far (for tests and benchmarks).
    package var builds: Int { buildCount.load(ordering: .relaxed) }
}

/// A snapshot with the state version it is of and when it was built (on the server's time source).
package struct VersionedSnapshot: Sendable {
    package var snapshot: StateSnapshot
    package var version: UInt64
    package var builtAt: Date
}

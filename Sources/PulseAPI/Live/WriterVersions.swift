import Foundation

/// For read-your-writes under `StateDocuments.maxStaleness`: the state version each API client's
/// last write left, so its next read is no older.
///
/// An entry older than the staleness bound is spent (every document that may be served then was
/// built after it) and is dropped once the table is large; past `limit` writers at once, every
/// reader must see the newest version noted (`floor`), so the table never grows without bound.
struct WriterVersions {
    private var versions: [String: (version: UInt64, at: Date)] = [:]
    /// The version every reader must see at least.
    private var floor: UInt64 = 0
    /// How many writers are kept before spent entries are swept out (at least `sweepAt`, and
    /// twice what the last sweep left, so a sweep costs a constant share of the notes).
    static let sweepAt = 4096
    private var nextSweep = sweepAt
    /// The most writers kept within the staleness bound.
    static let limit = 16384

    /// The version `reader`'s reads must show at least.
    func required(of reader: String?) -> UInt64 {
        guard let reader, let entry = versions[reader] else { return floor }
        return max(floor, entry.version)
    }

    mutating func note(_ writer: String, version: UInt64, at now: Date, keptFor staleness: TimeInterval) {
        guard staleness > 0 else { return }
        versions[writer] = (max(version, versions[writer]?.version ?? 0), now)
        guard versions.count > nextSweep else { return }
        let spentBefore = now.addingTimeInterval(-staleness)
        versions = versions.filter { $0.value.at >= spentBefore }
        if versions.count > Self.limit {
            floor = max(floor, versions.values.map { $0.version }.max() ?? 0)
            versions = [:]
        }
        nextSweep = max(Self.sweepAt, 2 * versions.count)
    }

    /// Writers noted (for tests).
    var count: Int { versions.count }
}

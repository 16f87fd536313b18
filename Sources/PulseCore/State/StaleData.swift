package import Foundation

/// How current a piece of polled data is, when the last poll could not refresh it: `stale` when
/// the values shown are the last good ones, `failed` when there is nothing to show. Absent on data
/// the last poll read: a view never presents old values as current without saying so.
package struct DataFreshness: Encodable, Sendable, Equatable {
    package var status: String
    /// Unix milliseconds of the last successful read; nil when it never succeeded.
    package var lastGood: Int64?
    /// Why the last read failed.
    package var error: String

    package init(lastGood: Date?, error: String, hasValues: Bool) {
        status = hasValues ? "stale" : "failed"
        self.lastGood = lastGood.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        self.error = error
    }
}

/// One part of one Proxmox instance that the last poll could not refresh (`/api/state`'s
/// `staleData`): `part` names it (`poll` for the whole instance, `storage:<node>`, `disks:<node>`,
/// `ceph`, `backups`, `datastore:<store>`, `mail-statistics`, …).
package struct StaleDataView: Encodable, Sendable, Equatable {
    package var instance: String
    /// `pve`, `pbs` or `pmg`.
    package var type: String
    package var part: String
    package var status: String
    package var lastGood: Int64?
    package var error: String

    package init(instance: String, type: String, part: String, freshness: DataFreshness) {
        self.instance = instance
        self.type = type
        self.part = part
        status = freshness.status
        lastGood = freshness.lastGood
        error = freshness.error
    }
}

/// When each part of one instance's data was last read, across polls: turns a poll's failures
/// into `DataFreshness` with the time each part was last good.
package struct PartFreshness: Sendable {
    private var lastGood: [String: Date] = [:]

    package init() {}

    /// Records a poll that tried `attempted` parts and failed `failures` (part → error); returns
    /// the failed parts' freshness. `hasValues(part)`: whether last good values are still shown.
    package mutating func record(
        attempted: Set<String>, failures: [String: String], at now: Date, hasValues: (String) -> Bool
    ) -> [String: DataFreshness] {
        for part in attempted where failures[part] == nil { lastGood[part] = now }
        var result: [String: DataFreshness] = [:]
        for (part, error) in failures {
            result[part] = DataFreshness(lastGood: lastGood[part], error: error, hasValues: hasValues(part))
        }
        return result
    }
}

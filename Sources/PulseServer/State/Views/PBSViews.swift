import Foundation

/// A PBS instance in `/api/state` `pbs[]` (Pulse's raw model: times in RFC 3339).
struct PBSInstanceView: Encodable, Sendable {
    struct DatastoreView: Encodable, Sendable {
        var name: String
        var total: UInt64
        var used: UInt64
        var free: UInt64
        var usage: Double
        var status: String
        var error: String?
        var namespaces: [String]?
        var deduplicationFactor: Double?
    }
    struct JobView: Encodable, Sendable {
        var id: String
        var store: String
        var type: String
        var status: String
        var lastRun: Date?
        var nextRun: Date?
        var error: String?
    }

    var id: String = ""
    var name: String = ""
    var host: String = ""
    var status: String = ""
    var version: String = ""
    /// Percent, 0–100.
    var cpu: Double = 0
    /// Percent, 0–100.
    var memory: Double = 0
    var memoryUsed: UInt64 = 0
    var memoryTotal: UInt64 = 0
    var uptime: Int64 = 0
    var datastores: [DatastoreView] = []
    var backupJobs: [JobView] = []
    var syncJobs: [JobView] = []
    var verifyJobs: [JobView] = []
    var pruneJobs: [JobView] = []
    var garbageJobs: [JobView] = []
    var connectionHealth: String = ""
    var lastSeen: Date = Date(timeIntervalSince1970: 0)

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

/// One backup snapshot on a PBS in `/api/state` `pbsBackups[]` and `/api/backups/pbs`.
struct PBSBackupView: Encodable, Sendable {
    var id: String = ""
    var instance: String = ""
    var datastore: String = ""
    var namespace: String = ""
    /// vm, ct or host.
    var backupType: String = ""
    var vmid: String = ""
    var backupTime: Date = Date(timeIntervalSince1970: 0)
    var size: UInt64 = 0
    var protected: Bool = false
    var verified: Bool = false
    var comment: String?
    var owner: String?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}

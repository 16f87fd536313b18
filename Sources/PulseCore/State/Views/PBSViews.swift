package import Foundation

/// A PBS instance in `/api/state` `pbs[]` (Pulse's raw model: times in RFC 3339).
package struct PBSInstanceView: Encodable, Sendable {
    package struct DatastoreView: Encodable, Sendable {
        package var name: String
        package var total: UInt64
        package var used: UInt64
        package var free: UInt64
        package var usage: Double
        package var status: String
        package var error: String?
        package var namespaces: [String]?
        package var deduplicationFactor: Double?

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(
            name: String, total: UInt64, used: UInt64, free: UInt64, usage: Double, status: String, error: String? = nil, namespaces: [String]? = nil,
            deduplicationFactor: Double? = nil
        ) {
            self.name = name
            self.total = total
            self.used = used
            self.free = free
            self.usage = usage
            self.status = status
            self.error = error
            self.namespaces = namespaces
            self.deduplicationFactor = deduplicationFactor
        }
    }
    package struct JobView: Encodable, Sendable {
        package var id: String
        package var store: String
        package var type: String
        package var status: String
        package var lastRun: Date?
        package var nextRun: Date?
        package var error: String?

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(id: String, store: String, type: String, status: String, lastRun: Date? = nil, nextRun: Date? = nil, error: String? = nil) {
            self.id = id
            self.store = store
            self.type = type
            self.status = status
            self.lastRun = lastRun
            self.nextRun = nextRun
            self.error = error
        }
    }

    package var id: String = ""
    package var name: String = ""
    package var host: String = ""
    package var status: String = ""
    package var version: String = ""
    /// Percent, 0–100.
    package var cpu: Double = 0
    /// Percent, 0–100.
    package var memory: Double = 0
    package var memoryUsed: UInt64 = 0
    package var memoryTotal: UInt64 = 0
    package var uptime: Int64 = 0
    package var datastores: [DatastoreView] = []
    package var backupJobs: [JobView] = []
    package var syncJobs: [JobView] = []
    package var verifyJobs: [JobView] = []
    package var pruneJobs: [JobView] = []
    package var garbageJobs: [JobView] = []
    package var connectionHealth: String = ""
    package var lastSeen: Date = Date(timeIntervalSince1970: 0)

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

/// One backup snapshot on a PBS in `/api/state` `pbsBackups[]` and `/api/backups/pbs`.
package struct PBSBackupView: Encodable, Sendable {
    package var id: String = ""
    package var instance: String = ""
    package var datastore: String = ""
    package var namespace: String = ""
    /// vm, ct or host.
    package var backupType: String = ""
    package var vmid: String = ""
    package var backupTime: Date = Date(timeIntervalSince1970: 0)
    package var size: UInt64 = 0
    package var protected: Bool = false
    package var verified: Bool = false
    package var comment: String?
    package var owner: String?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

extension Array {
    package var nilIfEmpty: Self? { isEmpty ? nil : self }
}

import Foundation

/// `/api/state` `replicationJobs[]`: the cluster's storage replication jobs.
struct ReplicationJobView: Encodable, Sendable {
    var id: String = ""
    var instance: String = ""
    var jobId: String = ""
    var guestId: Int = 0
    var targetNode: String = ""
    var type: String = ""
    var schedule: String = ""
    var enabled: Bool = false
    var comment: String?
    /// From the source node: last and next run, failures in a row and the last error.
    var lastSyncTime: Date?
    var nextSyncTime: Date?
    var failCount: Int = 0
    var error: String?
    var status: String = ""

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

package import Foundation

/// `/api/state` `replicationJobs[]`: the cluster's storage replication jobs.
package struct ReplicationJobView: Encodable, Sendable {
    package var id: String = ""
    package var instance: String = ""
    package var jobId: String = ""
    package var guestId: Int = 0
    package var targetNode: String = ""
    package var type: String = ""
    package var schedule: String = ""
    package var enabled: Bool = false
    package var comment: String?
    /// From the source node: last and next run, failures in a row and the last error.
    package var lastSyncTime: Date?
    package var nextSyncTime: Date?
    package var failCount: Int = 0
    package var error: String?
    package var status: String = ""

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

import Foundation

/// `/api/state` `replicationJobs[]`: the cluster's storage replication jobs.
struct ReplicationJobView: Encodable, Sendable {
    var id: String
    var instance: String
    var jobId: String
    var guestId: Int
    var targetNode: String
    var type: String
    var schedule: String
    var enabled: Bool
    var comment: String?
    /// From the source node: last and next run, failures in a row and the last error.
    var lastSyncTime: Date?
    var nextSyncTime: Date?
    var failCount: Int
    var error: String?
    var status: String

    init(_ job: PVEAPI.ReplicationJob, status state: PVEAPI.ReplicationStatus?, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(job.id)"
        instance = record.instance.name
        jobId = job.id
        guestId = job.guest.int
        targetNode = job.target ?? ""
        type = job.type ?? "local"
        schedule = job.schedule ?? "*/15"
        enabled = !job.disable.flag
        comment = job.comment
        lastSyncTime = state?.last_sync?.value.flatMap { $0 > 0 ? Date(timeIntervalSince1970: $0) : nil }
        nextSyncTime = state?.next_sync?.value.flatMap { $0 > 0 ? Date(timeIntervalSince1970: $0) : nil }
        failCount = state?.fail_count.int ?? 0
        error = state?.error.flatMap { $0.isEmpty ? nil : $0 }
        status = !enabled ? "disabled" : error != nil || failCount > 0 ? "error" : state == nil ? "unknown" : "ok"
    }
}

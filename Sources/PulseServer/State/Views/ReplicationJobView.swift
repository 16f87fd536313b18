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

    init(_ job: PVEAPI.ReplicationJob, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(job.id)"
        instance = record.instance.name
        jobId = job.id
        guestId = job.guest.int
        targetNode = job.target ?? ""
        type = job.type ?? "local"
        schedule = job.schedule ?? "*/15"
        enabled = !job.disable.flag
        comment = job.comment
    }
}

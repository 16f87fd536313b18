import Foundation
import PulseCore

extension ReplicationJobView {
    package init(_ job: PVEAPI.ReplicationJob, status state: PVEAPI.ReplicationStatus?, in record: PVEPollHistory) {
        self.init()
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

package import Foundation
import PulseCore
import PulseSupport

extension PBSInstanceView {
    package init(_ result: PBSPollResult, instance: ProxmoxInstance, polledAt: Date) {
        self.init()
        id = "pbs-\(instance.name)"
        name = instance.name
        host = instance.host
        status = "online"
        version = result.version?.version ?? ""
        cpu = (result.node?.cpu.double ?? 0) * 100
        memoryTotal = result.node?.memory?.total.uint64 ?? 0
        memoryUsed = result.node?.memory?.used.uint64 ?? 0
        memory = memoryTotal > 0 ? Double(memoryUsed) / Double(memoryTotal) * 100 : 0
        uptime = Int64(saturating: result.node?.uptime.double ?? 0)
        datastores = result.datastores.map { entry in
            let total = entry.status?.total.uint64 ?? 0
            let used = entry.status?.used.uint64 ?? 0
            let index = entry.garbageCollection?.indexDataBytes.double ?? 0
            let disk = entry.garbageCollection?.diskBytes.double ?? 0
            return DatastoreView(
                name: entry.datastore.store, total: total, used: used, free: entry.status?.avail.uint64 ?? 0,
                usage: total > 0 ? Double(used) / Double(total) * 100 : 0, status: entry.error == nil ? "available" : "unavailable",
                error: entry.error, namespaces: entry.namespaces.filter { !$0.isEmpty }.nilIfEmpty,
                deduplicationFactor: disk > 0 ? (index / disk * 100).rounded() / 100 : nil)
        }
        func jobs(_ list: [PBSAPI.Job], type: String) -> [JobView] {
            list.map { job in
                let state = job.lastRunState ?? ""
                return JobView(
                    id: job.id, store: job.store ?? "", type: type,
                    status: state.isEmpty ? "pending" : state == "ok" || state == "OK" ? "ok" : "error",
                    lastRun: job.lastRunEndtime?.value.map { Date(timeIntervalSince1970: $0) },
                    nextRun: job.nextRun?.value.map { Date(timeIntervalSince1970: $0) },
                    error: state.isEmpty || state.lowercased() == "ok" ? nil : state)
            }
        }
        syncJobs = jobs(result.syncJobs, type: "sync")
        verifyJobs = jobs(result.verifyJobs, type: "verify")
        pruneJobs = jobs(result.pruneJobs, type: "prune")
        backupJobs = result.backupTasks.map { task in
            JobView(
                id: task.upid, store: task.workerID.map { String($0.split(separator: ":").first ?? "") } ?? "", type: "backup",
                status: task.status == nil ? "running" : task.status == "OK" ? "ok" : "error",
                lastRun: task.endtime?.value.map { Date(timeIntervalSince1970: $0) }, nextRun: nil,
                error: task.status == nil || task.status == "OK" ? nil : task.status)
        }
        garbageJobs = result.datastores.compactMap { entry in
            guard let gc = entry.garbageCollection, gc.upid != nil || gc.lastRunState != nil else { return nil }
            let state = gc.lastRunState ?? "ok"
            return JobView(
                id: "gc-\(entry.datastore.store)", store: entry.datastore.store, type: "garbage", status: state == "ok" ? "ok" : "error",
                lastRun: gc.lastRunEndtime?.value.map { Date(timeIntervalSince1970: $0) }, nextRun: nil, error: state == "ok" ? nil : state)
        }
        connectionHealth = "healthy"
        lastSeen = polledAt
    }
}

extension PBSBackupView {
    package init(datastore: String, namespace: String, snapshot: PBSAPI.Snapshot, instance: ProxmoxInstance) {
        self.init()
        let time = snapshot.backupTime.double
        id = "pbs-\(instance.name)-\(datastore)-\(namespace)-\(snapshot.backupType)-\(snapshot.backupID)-\(Int64(saturating: time))"
        self.instance = instance.name
        self.datastore = datastore
        self.namespace = namespace
        backupType = snapshot.backupType
        vmid = snapshot.backupID
        backupTime = Date(timeIntervalSince1970: time)
        size = snapshot.size.uint64
        protected = snapshot.protected ?? false
        verified = snapshot.verification?.state == "ok"
        comment = snapshot.comment
        owner = snapshot.owner
    }
}

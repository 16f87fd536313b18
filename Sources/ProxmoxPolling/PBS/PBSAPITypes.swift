/// The parts of Proxmox Backup Server API replies the poller reads (`/api2/json`, PBS 3).
package enum PBSAPI {
    package struct Version: Decodable, Sendable {
        package let version: String?
        package let release: String?
    }

    /// `/nodes/localhost/status`
    package struct NodeStatus: Decodable, Sendable {
        package struct Memory: Decodable, Sendable {
            package let total: LooseNumber?
            package let used: LooseNumber?
            package let free: LooseNumber?
        }
        package let cpu: LooseNumber?
        package let memory: Memory?
        package let uptime: LooseNumber?
    }

    /// `/admin/datastore`
    package struct Datastore: Decodable, Sendable {
        package let store: String
        package let comment: String?
    }

    /// `/admin/datastore/{store}/status`
    package struct DatastoreStatus: Decodable, Sendable {
        package let total: LooseNumber?
        package let used: LooseNumber?
        package let avail: LooseNumber?
    }

    /// `/admin/datastore/{store}/gc`: the last garbage collection.
    package struct GarbageCollection: Decodable, Sendable {
        let indexDataBytes: LooseNumber?
        let diskBytes: LooseNumber?
        let upid: String?
        let lastRunState: String?
        let lastRunEndtime: LooseNumber?

        package enum CodingKeys: String, CodingKey {
            case upid
            case indexDataBytes = "index-data-bytes"
            case diskBytes = "disk-bytes"
            case lastRunState = "last-run-state"
            case lastRunEndtime = "last-run-endtime"
        }
    }

    /// `/admin/datastore/{store}/namespace`
    package struct Namespace: Decodable, Sendable {
        let ns: String?
    }

    /// `/admin/datastore/{store}/snapshots?ns=`
    package struct Snapshot: Decodable, Sendable {
        package struct Verification: Decodable, Sendable { let state: String? }
        package let backupType: String
        let backupID: String
        package let backupTime: LooseNumber?
        package let size: LooseNumber?
        package let protected: Bool?
        package let comment: String?
        package let owner: String?
        let verification: Verification?

        package enum CodingKeys: String, CodingKey {
            case size, protected, comment, owner, verification
            case backupType = "backup-type"
            case backupID = "backup-id"
            case backupTime = "backup-time"
        }
    }

    /// `/admin/sync`, `/admin/verify`, `/admin/prune`: scheduled jobs with their last run.
    package struct Job: Decodable, Sendable {
        package let id: String
        package let store: String?
        package let schedule: String?
        let lastRunState: String?
        let lastRunEndtime: LooseNumber?
        package let nextRun: LooseNumber?

        package enum CodingKeys: String, CodingKey {
            case id, store, schedule
            case lastRunState = "last-run-state"
            case lastRunEndtime = "last-run-endtime"
            case nextRun = "next-run"
        }
    }

    /// `/nodes/localhost/tasks?typefilter=backup`
    package struct Task: Decodable, Sendable {
        let upid: String
        let workerType: String?
        let workerID: String?
        let starttime: LooseNumber?
        let endtime: LooseNumber?
        package let status: String?

        package enum CodingKeys: String, CodingKey {
            case upid, starttime, endtime, status
            case workerType = "worker_type"
            case workerID = "worker_id"
        }
    }
}

/// The parts of Proxmox Backup Server API replies the poller reads (`/api2/json`, PBS 3).
enum PBSAPI {
    struct Version: Decodable, Sendable {
        let version: String?
        let release: String?
    }

    /// `/nodes/localhost/status`
    struct NodeStatus: Decodable, Sendable {
        struct Memory: Decodable, Sendable {
            let total: LooseNumber?
            let used: LooseNumber?
            let free: LooseNumber?
        }
        let cpu: LooseNumber?
        let memory: Memory?
        let uptime: LooseNumber?
    }

    /// `/admin/datastore`
    struct Datastore: Decodable, Sendable {
        let store: String
        let comment: String?
    }

    /// `/admin/datastore/{store}/status`
    struct DatastoreStatus: Decodable, Sendable {
        let total: LooseNumber?
        let used: LooseNumber?
        let avail: LooseNumber?
    }

    /// `/admin/datastore/{store}/gc`: the last garbage collection.
    struct GarbageCollection: Decodable, Sendable {
        let indexDataBytes: LooseNumber?
        let diskBytes: LooseNumber?
        let upid: String?
        let lastRunState: String?
        let lastRunEndtime: LooseNumber?

        enum CodingKeys: String, CodingKey {
            case upid
            case indexDataBytes = "index-data-bytes"
            case diskBytes = "disk-bytes"
            case lastRunState = "last-run-state"
            case lastRunEndtime = "last-run-endtime"
        }
    }

    /// `/admin/datastore/{store}/namespace`
    struct Namespace: Decodable, Sendable {
        let ns: String?
    }

    /// `/admin/datastore/{store}/snapshots?ns=`
    struct Snapshot: Decodable, Sendable {
        struct Verification: Decodable, Sendable { let state: String? }
        let backupType: String
        let backupID: String
        let backupTime: LooseNumber?
        let size: LooseNumber?
        let protected: Bool?
        let comment: String?
        let owner: String?
        let verification: Verification?

        enum CodingKeys: String, CodingKey {
            case size, protected, comment, owner, verification
            case backupType = "backup-type"
            case backupID = "backup-id"
            case backupTime = "backup-time"
        }
    }

    /// `/admin/sync`, `/admin/verify`, `/admin/prune`: scheduled jobs with their last run.
    struct Job: Decodable, Sendable {
        let id: String
        let store: String?
        let schedule: String?
        let lastRunState: String?
        let lastRunEndtime: LooseNumber?
        let nextRun: LooseNumber?

        enum CodingKeys: String, CodingKey {
            case id, store, schedule
            case lastRunState = "last-run-state"
            case lastRunEndtime = "last-run-endtime"
            case nextRun = "next-run"
        }
    }

    /// `/nodes/localhost/tasks?typefilter=backup`
    struct Task: Decodable, Sendable {
        let upid: String
        let workerType: String?
        let workerID: String?
        let starttime: LooseNumber?
        let endtime: LooseNumber?
        let status: String?

        enum CodingKeys: String, CodingKey {
            case upid, starttime, endtime, status
            case workerType = "worker_type"
            case workerID = "worker_id"
        }
    }
}

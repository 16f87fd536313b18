import Foundation

/// What one poll of a Proxmox Backup Server saw.
struct PBSPollResult: Sendable {
    struct DatastoreResult: Sendable {
        var datastore: PBSAPI.Datastore
        var status: PBSAPI.DatastoreStatus?
        /// Why the status could not be read.
        var error: String?
        var garbageCollection: PBSAPI.GarbageCollection?
        var namespaces: [String] = []
    }

    var version: PBSAPI.Version?
    var node: PBSAPI.NodeStatus?
    var datastores: [DatastoreResult] = []
    /// (datastore, namespace, snapshot)
    var snapshots: [(datastore: String, namespace: String, snapshot: PBSAPI.Snapshot)] = []
    var syncJobs: [PBSAPI.Job] = []
    var verifyJobs: [PBSAPI.Job] = []
    var pruneJobs: [PBSAPI.Job] = []
    var backupTasks: [PBSAPI.Task] = []
    var requests = 0
}

/// One poll cycle of a PBS instance: version, node status, datastores (usage, dedup factor
/// from the last GC, namespaces), their snapshots, and the sync, verify, prune and backup jobs.
/// `/version` failing fails the poll; anything else missing is left out.
struct PBSPoller: Sendable {
    let client: any ProxmoxClient

    func poll() async throws -> PBSPollResult {
        let counted = CountingProxmoxClient(client)
        var result = PBSPollResult()
        result.version = try await counted.get("/version", PBSAPI.Version.self)
        result.node = try? await counted.get("/nodes/localhost/status", PBSAPI.NodeStatus.self)
        for datastore in try await counted.get("/admin/datastore", [PBSAPI.Datastore].self) {
            var entry = PBSPollResult.DatastoreResult(datastore: datastore)
            let path = "/admin/datastore/\(Self.escape(datastore.store))"
            do {
                entry.status = try await counted.get(path + "/status", PBSAPI.DatastoreStatus.self)
            } catch {
                entry.error = "\(error)"
            }
            entry.garbageCollection = try? await counted.get(path + "/gc", PBSAPI.GarbageCollection.self)
            let namespaces = (try? await counted.get(path + "/namespace", [PBSAPI.Namespace].self))?.map { $0.ns ?? "" } ?? [""]
            entry.namespaces = namespaces
            for namespace in namespaces {
                let query = namespace.isEmpty ? "" : "?ns=\(Self.escape(namespace))"
                if let snapshots = try? await counted.get(path + "/snapshots" + query, [PBSAPI.Snapshot].self) {
                    result.snapshots += snapshots.map { (datastore.store, namespace, $0) }
                }
            }
            result.datastores.append(entry)
        }
        result.syncJobs = (try? await counted.get("/admin/sync", [PBSAPI.Job].self)) ?? []
        result.verifyJobs = (try? await counted.get("/admin/verify", [PBSAPI.Job].self)) ?? []
        result.pruneJobs = (try? await counted.get("/admin/prune", [PBSAPI.Job].self)) ?? []
        result.backupTasks = (try? await counted.get("/nodes/localhost/tasks?typefilter=backup&limit=100", [PBSAPI.Task].self)) ?? []
        try Task.checkCancellation()  // a cancelled poll is not half a result
        result.requests = counted.count
        return result
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

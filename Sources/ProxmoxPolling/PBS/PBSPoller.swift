import Foundation

/// What one poll of a Proxmox Backup Server saw.
package struct PBSPollResult: Sendable {
    package struct DatastoreResult: Sendable {
        package var datastore: PBSAPI.Datastore
        package var status: PBSAPI.DatastoreStatus?
        /// Why the status could not be read.
        package var error: String?
        var garbageCollection: PBSAPI.GarbageCollection?
        package var namespaces: [String] = []
    }

    package var version: PBSAPI.Version?
    package var node: PBSAPI.NodeStatus?
    package var datastores: [DatastoreResult] = []
    /// (datastore, namespace, snapshot)
    package var snapshots: [(datastore: String, namespace: String, snapshot: PBSAPI.Snapshot)] = []
    package var syncJobs: [PBSAPI.Job] = []
    package var verifyJobs: [PBSAPI.Job] = []
    package var pruneJobs: [PBSAPI.Job] = []
    package var backupTasks: [PBSAPI.Task] = []
    /// `node-status`, `datastore:<store>`, `snapshots:<store>`, `jobs`: a failed one is shown as failed.
    package var parts = PollParts()
    package var requests = 0
}

/// One poll cycle of a PBS instance: version, node status, datastores (usage, dedup factor
/// from the last GC, namespaces), their snapshots, and the sync, verify, prune and backup jobs.
/// `/version` failing fails the poll; anything else missing is left out.
package struct PBSPoller: Sendable {
    package let client: any ProxmoxClient

    func poll() async throws -> PBSPollResult {
        let counted = CountingProxmoxClient(client)
        var result = PBSPollResult()
        result.version = try await counted.get("/version", PBSAPI.Version.self)
        result.node = await result.parts.read("node-status") { try await counted.get("/nodes/localhost/status", PBSAPI.NodeStatus.self) }
        for datastore in try await counted.get("/admin/datastore", [PBSAPI.Datastore].self) {
            var entry = PBSPollResult.DatastoreResult(datastore: datastore)
            let path = "/admin/datastore/\(Self.escape(datastore.store))"
            entry.status = await result.parts.read("datastore:\(datastore.store)") {
                try await counted.get(path + "/status", PBSAPI.DatastoreStatus.self)
            }
            entry.error = result.parts.failures["datastore:\(datastore.store)"]
            entry.garbageCollection = try? await counted.get(path + "/gc", PBSAPI.GarbageCollection.self)
            let namespaces = (try? await counted.get(path + "/namespace", [PBSAPI.Namespace].self))?.map { $0.ns ?? "" } ?? [""]
            entry.namespaces = namespaces
            for namespace in namespaces {
                let query = namespace.isEmpty ? "" : "?ns=\(Self.escape(namespace))"
                if let snapshots = await result.parts.read(
                    "snapshots:\(datastore.store)",
                    {
                        try await counted.get(path + "/snapshots" + query, [PBSAPI.Snapshot].self)
                    })
                {
                    result.snapshots += snapshots.map { (datastore.store, namespace, $0) }
                }
            }
            result.datastores.append(entry)
        }
        result.syncJobs = await result.parts.read("jobs") { try await counted.get("/admin/sync", [PBSAPI.Job].self) } ?? []
        result.verifyJobs = await result.parts.read("jobs") { try await counted.get("/admin/verify", [PBSAPI.Job].self) } ?? []
        result.pruneJobs = await result.parts.read("jobs") { try await counted.get("/admin/prune", [PBSAPI.Job].self) } ?? []
        result.backupTasks =
            await result.parts.read("jobs") { try await counted.get("/nodes/localhost/tasks?typefilter=backup&limit=100", [PBSAPI.Task].self) } ?? []
        try Task.checkCancellation()  // a cancelled poll is not half a result
        result.requests = counted.count
        return result
    }

    package static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

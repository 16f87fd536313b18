import AgentProtocol
import Foundation

/// One poll cycle of a PVE instance through a `ProxmoxClient`.
///
/// Instance-wide calls (`/nodes`, `/cluster/resources`) failing fails the poll; a node that does
/// not answer (595, timeout) only marks that node unreachable. Optional features (Ceph,
/// replication) that answer 404 are simply absent.
package struct PVEPoller: Sendable {
    package let client: any ProxmoxClient
    package let instance: ProxmoxInstance

    package struct Options: Sendable {
        /// Also read physical disks (every 5 minutes in the service).
        var includeDisks = false
        /// Also read backup tasks and backup files (every 10th cycle in the service).
        var includeBackups = false
        /// Read the per-guest details (snapshots; guest agent of running VMs) of the guests whose
        /// `vmid % guestShare.of == guestShare.slice`: the service spreads the guests over 10
        /// cycles, so each is refreshed every 10th cycle without a burst of requests.
        var guestShare: (slice: Int, of: Int)? = nil

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(includeDisks: Bool = false, includeBackups: Bool = false, guestShare: (slice: Int, of: Int)? = nil) {
            self.includeDisks = includeDisks
            self.includeBackups = includeBackups
            self.guestShare = guestShare
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(client: any ProxmoxClient, instance: ProxmoxInstance) {
        self.client = client
        self.instance = instance
    }

    package func poll(_ options: Options) async throws -> PVEPollResult {
        var result = PVEPollResult()
        let counted = CountingProxmoxClient(client)

        result.nodes = try await counted.get("/nodes", [PVEAPI.Node].self)
        if let status = try? await counted.get("/cluster/status", [PVEAPI.ClusterStatusEntry].self),
            let cluster = status.first(where: { $0.type == "cluster" })
        {
            result.clusterName = cluster.name
            result.quorate = cluster.quorate.flag
        }
        let online = result.nodes.filter { $0.status == "online" }.map(\.node)
        result.unreachableNodes = Set(result.nodes.map(\.node)).subtracting(online)
        for node in online {
            do {
                result.nodeStatus[node] = try await counted.get("/nodes/\(node)/status", PVEAPI.NodeStatus.self)
            } catch {
                result.unreachableNodes.insert(node)
            }
        }
        if instance.monitorVMs || instance.monitorContainers {
            result.guests = try await counted.get("/cluster/resources?type=vm", [PVEAPI.Guest].self).filter { guest in
                guest.type == "qemu" ? instance.monitorVMs : instance.monitorContainers
            }
        }
        let reachable = online.filter { !result.unreachableNodes.contains($0) }
        if instance.monitorStorage {
            for node in reachable {
                if let storage = await result.parts.read(
                    "storage:\(node)", { try await counted.get("/nodes/\(node)/storage", [PVEAPI.Storage].self) })
                {
                    result.storage[node] = storage
                }
            }
            let hasCeph = result.storage.values.joined().contains { $0.type == "rbd" || $0.type == "cephfs" }
            if hasCeph {
                result.ceph = await result.parts.read("ceph") { try await counted.get("/cluster/ceph/status", CephStatusOutput.self) }
                if result.ceph != nil, let node = reachable.first {
                    result.cephPools = try? await counted.get("/nodes/\(node)/ceph/pool", [PVEAPI.CephPool].self)
                }
            }
        }
        if options.includeDisks && instance.monitorPhysicalDisks {
            var disks: [String: [PVEAPI.Disk]] = [:]
            var pools: [String: [PVEAPI.ZFSPool]] = [:]
            for node in reachable {
                if let list = await result.parts.read("disks:\(node)", { try await counted.get("/nodes/\(node)/disks/list", [PVEAPI.Disk].self) }) {
                    disks[node] = list
                }
                if let list = try? await counted.get("/nodes/\(node)/disks/zfs", [PVEAPI.ZFSPool].self) { pools[node] = list }
            }
            result.disks = disks
            result.zfsPools = pools
            if pools.values.contains(where: { !$0.isEmpty }), let config = try? await counted.get("/storage", [PVEAPI.StorageConfig].self) {
                result.zfsStoragePools = Dictionary(
                    config.filter { $0.type == "zfspool" }.compactMap { entry in entry.pool.map { (entry.storage, $0) } },
                    uniquingKeysWith: { a, _ in a })
            }
        }
        result.replication = (try? await counted.get("/cluster/replication", [PVEAPI.ReplicationJob].self)) ?? []
        if !result.replication.isEmpty {
            for node in reachable {
                for status in (try? await counted.get("/nodes/\(node)/replication", [PVEAPI.ReplicationStatus].self)) ?? [] {
                    result.replicationStatus[status.id] = status
                }
            }
        }
        if let share = options.guestShare {
            for guest in result.guests where !guest.template.flag {
                guard let key = PVEPollHistory.guestKey(guest), let node = guest.node, reachable.contains(node),
                    let vmid = guest.vmid?.value.map(Int.init), vmid % share.of == share.slice
                else { continue }
                let kind = guest.type == "lxc" ? "lxc" : "qemu"
                if instance.monitorBackups {
                    let snapshots = (try? await counted.get("/nodes/\(node)/\(kind)/\(vmid)/snapshot", [PVEAPI.Snapshot].self)) ?? []
                    result.guestSnapshots[key] = snapshots.filter { $0.name != "current" }.map {
                        GuestSnapshot(node: node, type: kind, vmid: vmid, snapshot: $0)
                    }
                }
                if kind == "qemu", guest.status == "running" {
                    result.guestDetails[key] = await guestAgent(node: node, vmid: vmid, client: counted)
                }
            }
        }
        if options.includeBackups && instance.monitorBackups {
            let (backups, failure) = await backups(nodes: reachable, storage: result.storage, client: counted)
            if let failure {
                result.parts.fail("backups", failure)
            } else {
                result.parts.attempted.insert("backups")
                result.backups = backups
            }
        }
        try Task.checkCancellation()  // a cancelled poll is not half a result
        result.requests = counted.count
        return result
    }

    /// The OS, interfaces and filesystems a VM's guest agent reports; the first command failing
    /// (no agent, agent not running) ends the questions for this VM.
    private func guestAgent(node: String, vmid: Int, client: CountingProxmoxClient) async -> GuestAgentDetails {
        let base = "/nodes/\(node)/qemu/\(vmid)/agent"
        var details = GuestAgentDetails()
        guard let os = try? await client.get(base + "/get-osinfo", PVEAPI.AgentResult<PVEAPI.GuestOSInfo>.self) else { return details }
        details.os = os.result
        details.interfaces = (try? await client.get(base + "/network-get-interfaces", PVEAPI.AgentResult<[PVEAPI.GuestInterface]>.self))?.result
        details.filesystems = (try? await client.get(base + "/get-fsinfo", PVEAPI.AgentResult<[PVEAPI.GuestFilesystem]>.self))?.result
        return details
    }

    /// Backup tasks and files of `nodes`; with the first failure's description when a read failed
    /// (then none of it replaces what was read before: half a list would look like lost backups).
    private func backups(
        nodes: [String], storage: [String: [PVEAPI.Storage]], client: CountingProxmoxClient
    ) async -> (PVEBackupData, failure: String?) {
        var data = PVEBackupData()
        var failure: String?
        for node in nodes {
            do {
                data.tasks += try await client.get("/nodes/\(node)/tasks?typefilter=vzdump&limit=100", [PVEAPI.Task].self)
            } catch {
                failure = failure ?? "\(error)"
            }
            // Shared storage is listed by every node; read it once, from the first node that has it.
            for entry in storage[node] ?? [] where (entry.content ?? "").contains("backup") && entry.active.flag {
                if entry.shared.flag, data.storageBackups.contains(where: { $0.storage == entry.storage }) { continue }
                let path = "/nodes/\(node)/storage/\(entry.storage)/content?content=backup"
                do {
                    data.storageBackups += try await client.get(path, [PVEAPI.StorageContent].self).map { (node, entry.storage, $0) }
                } catch {
                    failure = failure ?? "\(error)"
                }
            }
        }
        return (data, failure)
    }
}

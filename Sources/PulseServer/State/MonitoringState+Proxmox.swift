import AgentProtocol
import Foundation

/// The Proxmox pollers' path into the state, and their part of the snapshot.
extension MonitoringState {
    /// Takes in a successful PVE poll.
    func applyPVE(_ result: PVEPollResult, instance: ProxmoxInstance) {
        let now = time.now()
        pollingCycles += 1
        if var record = pveInstances[instance.id] {
            record.update(result, instance: instance, at: now)
            pveInstances[instance.id] = record
        } else {
            pveInstances[instance.id] = PVEInstanceRecord(instance: instance, result: result, at: now)
        }
        didChange()
    }

    /// Takes in a successful PBS poll.
    func applyPBS(_ result: PBSPollResult, instance: ProxmoxInstance) {
        pollingCycles += 1
        pbsInstances[instance.id] = PolledInstance(instance: instance, result: result, polledAt: time.now())
        didChange()
    }

    /// Takes in a successful PMG poll.
    func applyPMG(_ result: PMGPollResult, instance: ProxmoxInstance) {
        pollingCycles += 1
        pmgInstances[instance.id] = PolledInstance(instance: instance, result: result, polledAt: time.now())
        didChange()
    }

    /// Records a failed poll: the instance's data stays (marked unhealthy) until it answers again.
    func markProxmoxUnreachable(instanceID: String) {
        guard proxmoxHealth(instanceID: instanceID) == true else { return }
        pveInstances[instanceID]?.healthy = false
        pbsInstances[instanceID]?.healthy = false
        pmgInstances[instanceID]?.healthy = false
        didChange()
    }

    /// Forgets an instance that was removed from the configuration.
    func removeProxmox(instanceID: String) {
        let removed = [
            pveInstances.removeValue(forKey: instanceID) != nil, pbsInstances.removeValue(forKey: instanceID) != nil,
            pmgInstances.removeValue(forKey: instanceID) != nil,
        ]
        if removed.contains(true) { didChange() }
    }

    /// Whether an instance's last poll succeeded; nil if it never succeeded.
    func proxmoxHealth(instanceID: String) -> Bool? {
        pveInstances[instanceID]?.healthy ?? pbsInstances[instanceID]?.healthy ?? pmgInstances[instanceID]?.healthy
    }

    func addProxmox(to snapshot: inout StateSnapshot, at now: Date) {
        for record in pveInstances.values.sorted(by: { $0.instance.name < $1.instance.name }) {
            let latest = record.latest
            snapshot.nodes += latest.nodes.sorted { $0.node < $1.node }.map { NodeView($0, in: record, at: now) }
            let guests = latest.guests.compactMap { GuestView($0, in: record) }.sorted { $0.vmid < $1.vmid }
            snapshot.vms += guests.filter { $0.type == "qemu" }
            snapshot.containers += guests.filter { $0.type == "lxc" }
            var storageTypes: [String: String] = [:]
            for node in latest.storage.keys.sorted() {
                for entry in latest.storage[node] ?? [] {
                    storageTypes[entry.storage] = entry.type
                    snapshot.storage.append(StorageView(entry, node: node, in: record))
                }
            }
            for node in record.disks.keys.sorted() {
                snapshot.physicalDisks += (record.disks[node] ?? []).map { PhysicalDiskView($0, node: node, in: record) }
            }
            if let status = latest.ceph, var cluster = CephCluster(status: status, df: nil, collectedAt: record.polledAt) {
                cluster.pools = latest.cephPools.map { $0.compactMap(CephPool.init) }
                let view = CephClusterView(
                    cluster, id: "\(record.instance.name)-ceph-\(cluster.fsid)", instance: record.instance.name, lastUpdated: record.polledAt)
                snapshot.cephClusters.removeAll { $0.fsid == view.fsid }
                snapshot.cephClusters.append(view)
            }
            snapshot.replicationJobs += latest.replication.map { ReplicationJobView($0, status: latest.replicationStatus[$0.id], in: record) }
            let backups = record.backups
            snapshot.pveBackups.backupTasks += backups.tasks.map { BackupTaskView($0, in: record) }
            snapshot.pveBackups.storageBackups += backups.storageBackups.map {
                StorageBackupView(node: $0.node, storage: $0.storage, item: $0.item, storageType: storageTypes[$0.storage], in: record)
            }
            snapshot.pveBackups.guestSnapshots += record.guestSnapshots.keys.sorted().flatMap { key in
                (record.guestSnapshots[key] ?? []).map { GuestSnapshotView(node: $0.node, type: $0.type, vmid: $0.vmid, snapshot: $0.snapshot, in: record) }
            }
            snapshot.connectionHealth[record.instance.name] = record.healthy
        }
        snapshot.backups.pve = snapshot.pveBackups
        for record in pbsInstances.values.sorted(by: { $0.instance.name < $1.instance.name }) {
            snapshot.pbs.append(PBSInstanceView(record.result, instance: record.instance, healthy: record.healthy, polledAt: record.polledAt))
            snapshot.pbsBackups += record.result.snapshots.map {
                PBSBackupView(datastore: $0.datastore, namespace: $0.namespace, snapshot: $0.snapshot, instance: record.instance)
            }
            snapshot.connectionHealth["pbs-\(record.instance.name)"] = record.healthy
        }
        snapshot.backups.pbs = snapshot.pbsBackups
        for record in pmgInstances.values.sorted(by: { $0.instance.name < $1.instance.name }) {
            snapshot.pmg.append(PMGInstanceView(record.result, instance: record.instance, healthy: record.healthy, polledAt: record.polledAt))
            snapshot.connectionHealth["pmg-\(record.instance.name)"] = record.healthy
        }
        linkHosts(in: &snapshot)
    }

    /// Puts each linked agent's temperatures and SMART temperatures on its node and disks, and
    /// the link IDs on both sides; remembers node ↔ machine-id links for next time.
    private func linkHosts(in snapshot: inout StateSnapshot) {
        guard !snapshot.nodes.isEmpty, !hosts.isEmpty else { return }
        let links = ProxmoxHostLinker.link(
            nodes: snapshot.nodes, guests: snapshot.vms + snapshot.containers, hosts: Array(hosts.values), remembered: nodeMachineLinks)
        nodeMachineLinks.merge(links.machineOfNode) { _, new in new }
        for index in snapshot.nodes.indices {
            guard let hostID = links.hostOfNode[snapshot.nodes[index].id], let host = hosts[hostID] else { continue }
            snapshot.nodes[index].linkedHostAgentId = hostID
            snapshot.nodes[index].temperature = NodeTemperatureView(host.report.sensors, at: host.receivedAt)
            let node = snapshot.nodes[index]
            for disk in (host.report.sensors.smart ?? []) where disk.temperature > 0 {
                guard let diskIndex = snapshot.physicalDisks.firstIndex(where: { candidate in
                    candidate.instance == node.instance && candidate.node == node.node && Self.sameDisk(candidate, disk)
                }) else { continue }
                snapshot.physicalDisks[diskIndex].temperature = disk.temperature
            }
        }
        for index in snapshot.hosts.indices {
            let id = snapshot.hosts[index].id
            snapshot.hosts[index].linkedNodeId = links.nodeOfHost[id]
            if let guest = links.guestOfHost[id] {
                if guest.type == "lxc" { snapshot.hosts[index].linkedContainerId = guest.id } else { snapshot.hosts[index].linkedVmId = guest.id }
            }
        }
    }

    /// WWN, then serial, then device path.
    private static func sameDisk(_ disk: PhysicalDiskView, _ smart: SMARTDisk) -> Bool {
        func clean(_ text: String?) -> String? {
            guard let text = text?.lowercased().replacingOccurrences(of: "0x", with: ""), !text.isEmpty else { return nil }
            return text
        }
        if let a = clean(disk.wwn), let b = clean(smart.wwn) { return a == b }
        if let a = clean(disk.serial), let b = clean(smart.serial) { return a == b }
        return disk.devPath == smart.device || disk.devPath == "/dev/" + smart.device
    }
}

/// The latest successful poll of a PBS or PMG instance.
struct PolledInstance<Result: Sendable>: Sendable {
    var instance: ProxmoxInstance
    var result: Result
    var polledAt: Date
    var healthy = true
}

extension CephPool {
    /// A pool from PVE's `/nodes/{node}/ceph/pool`; what is free follows from used and its share.
    init?(_ pool: PVEAPI.CephPool) {
        guard let name = pool.pool_name else { return nil }
        let used = pool.bytes_used.uint64
        let fraction = pool.percent_used.double
        let available = fraction > 0 && fraction < 1 ? UInt64(Double(used) / fraction) - used : 0
        self.init(id: pool.pool.int, name: name, bytesUsed: used, bytesAvailable: available, objects: 0, percentUsed: fraction * 100)
    }
}

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

    /// Records a failed poll: the instance's data stays (marked unhealthy) until it answers again.
    func markPVEUnreachable(instanceID: String) {
        guard pveInstances[instanceID]?.healthy == true else { return }
        pveInstances[instanceID]?.healthy = false
        didChange()
    }

    /// Forgets an instance that was removed from the configuration.
    func removePVE(instanceID: String) {
        guard pveInstances.removeValue(forKey: instanceID) != nil else { return }
        didChange()
    }

    /// Whether an instance's last poll succeeded; nil if it never succeeded.
    func pveHealth(instanceID: String) -> Bool? { pveInstances[instanceID]?.healthy }

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
            if let ceph = latest.ceph, let view = CephClusterView(ceph, instance: record.instance.name, at: record.polledAt) {
                snapshot.cephClusters.removeAll { $0.fsid == view.fsid }
                snapshot.cephClusters.append(view)
            }
            let backups = record.backups
            snapshot.pveBackups.backupTasks += backups.tasks.map { BackupTaskView($0, in: record) }
            snapshot.pveBackups.storageBackups += backups.storageBackups.map {
                StorageBackupView(node: $0.node, storage: $0.storage, item: $0.item, storageType: storageTypes[$0.storage], in: record)
            }
            snapshot.pveBackups.guestSnapshots += backups.snapshots.map {
                GuestSnapshotView(node: $0.node, type: $0.type, vmid: $0.vmid, snapshot: $0.snapshot, in: record)
            }
            snapshot.connectionHealth[record.instance.name] = record.healthy
        }
        snapshot.backups.pve = snapshot.pveBackups
    }
}

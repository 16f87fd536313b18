import AgentProtocol
package import Foundation
package import PulseCore

/// What the poller keeps of one PVE instance between polls: the latest successful poll and what
/// is derived across polls (I/O rates, disks and backups refreshed less often). It turns them into
/// the model values the state receives (`inventory()`); no Proxmox API type goes further.
package struct PVEPollHistory: Sendable {
    package var instance: ProxmoxInstance
    var latest: PVEPollResult
    package var polledAt: Date
    /// Guest key `node:vmid` → counters of the previous poll, for rates.
    var guestCounters: [String: GuestCounters] = [:]
    var guestRates: [String: GuestRates] = [:]
    package var disks: [String: [PVEAPI.Disk]] = [:]
    var disksCheckedAt: Date?
    package var backups = PVEBackupData()
    /// Guest-agent details by guest key, refreshed a tenth of the VMs per cycle.
    var guestDetails: [String: GuestAgentDetails] = [:]
    /// Snapshots by guest key, refreshed like the guest details.
    package var guestSnapshots: [String: [GuestSnapshot]] = [:]
    var zfsPools: [String: [PVEAPI.ZFSPool]] = [:]
    var zfsStoragePools: [String: String] = [:]
    /// When each part was last read, and the parts the latest poll could not refresh.
    var freshness = PartFreshness()
    package var stale: [String: DataFreshness] = [:]

    package struct GuestCounters: Sendable {
        package var at: Date
        package var diskRead: UInt64
        package var diskWrite: UInt64
        var netIn: UInt64
        var netOut: UInt64
    }

    package struct GuestRates: Sendable, Equatable {
        package var diskRead: Double = 0
        package var diskWrite: Double = 0
        var netIn: Double = 0
        var netOut: Double = 0
    }

    package init(instance: ProxmoxInstance, result: PVEPollResult, at now: Date) {
        self.instance = instance
        latest = result
        polledAt = now
        absorb(result, previous: nil, at: now)
    }

    /// Takes a new successful poll in; a part it could not read keeps its last good values.
    package mutating func update(_ result: PVEPollResult, instance: ProxmoxInstance, at now: Date) {
        self.instance = instance
        let previous = latest
        latest = result
        polledAt = now
        absorb(result, previous: previous, at: now)
    }

    /// Carries the last good values of each failed part into `latest`, and records freshness.
    private mutating func carryFailedParts(from previous: PVEPollResult?, at now: Date) {
        for part in latest.parts.failures.keys {
            if part.hasPrefix("storage:"), let node = part.split(separator: ":", maxSplits: 1).last.map(String.init) {
                latest.storage[node] = previous?.storage[node]
            } else if part == "ceph" {
                latest.ceph = previous?.ceph
                latest.cephPools = previous?.cephPools
            }
        }
        let current = self
        stale = freshness.record(attempted: latest.parts.attempted, failures: latest.parts.failures, at: now) { part in
            current.hasValues(for: part)
        }
    }

    private func hasValues(for part: String) -> Bool {
        let node = part.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        switch part.split(separator: ":").first ?? "" {
        case "storage": return !(latest.storage[node] ?? []).isEmpty
        case "disks": return !(disks[node] ?? []).isEmpty
        case "ceph": return latest.ceph != nil
        case "backups": return !backups.tasks.isEmpty || !backups.storageBackups.isEmpty
        default: return false
        }
    }

    private mutating func absorb(_ result: PVEPollResult, previous: PVEPollResult?, at now: Date) {
        var counters: [String: GuestCounters] = [:]
        var rates: [String: GuestRates] = [:]
        for guest in result.guests {
            guard let key = Self.guestKey(guest) else { continue }
            let current = GuestCounters(
                at: now, diskRead: guest.diskread.uint64, diskWrite: guest.diskwrite.uint64, netIn: guest.netin.uint64,
                netOut: guest.netout.uint64)
            counters[key] = current
            if let previous = guestCounters[key] {
                let elapsed = now.timeIntervalSince(previous.at)
                rates[key] = GuestRates(
                    diskRead: CounterRate.perSecond(previous: previous.diskRead, current: current.diskRead, elapsed: elapsed) ?? 0,
                    diskWrite: CounterRate.perSecond(previous: previous.diskWrite, current: current.diskWrite, elapsed: elapsed) ?? 0,
                    netIn: CounterRate.perSecond(previous: previous.netIn, current: current.netIn, elapsed: elapsed) ?? 0,
                    netOut: CounterRate.perSecond(previous: previous.netOut, current: current.netOut, elapsed: elapsed) ?? 0)
            }
        }
        guestCounters = counters
        guestRates = rates
        if var disks = result.disks {
            for part in result.parts.failures.keys where part.hasPrefix("disks:") {
                let node = String(part.dropFirst("disks:".count))
                disks[node] = self.disks[node]
            }
            self.disks = disks
            disksCheckedAt = now
        }
        if let backups = result.backups { self.backups = backups }
        guestDetails.merge(result.guestDetails) { _, new in new }
        guestDetails = guestDetails.filter { counters[$0.key] != nil }
        guestSnapshots.merge(result.guestSnapshots) { _, new in new }
        guestSnapshots = guestSnapshots.filter { counters[$0.key] != nil }
        if let pools = result.zfsPools { zfsPools = pools }
        if let storagePools = result.zfsStoragePools { zfsStoragePools = storagePools }
        carryFailedParts(from: previous, at: now)
    }

    static func guestKey(_ guest: PVEAPI.Guest) -> String? {
        guard let node = guest.node, let vmid = guest.vmid?.value else { return nil }
        return "\(node):\(Int(vmid))"
    }
}

extension PVEPollHistory {
    /// The instance as the state's model values, in the order the API lists them.
    package func inventory() -> PVEInventory {
        var inventory = PVEInventory(instanceID: instance.id, instanceName: instance.name)
        inventory.respondingNodes = Set(latest.nodeStatus.keys)
        inventory.nodes = latest.nodes.sorted { $0.node < $1.node }.map { NodeView($0, in: self) }
        inventory.guests = latest.guests.compactMap { GuestView($0, in: self) }.sorted { $0.vmid < $1.vmid }
        var storageTypes: [String: String] = [:]
        for node in latest.storage.keys.sorted() {
            for entry in latest.storage[node] ?? [] {
                storageTypes[entry.storage] = entry.type
                var view = StorageView(entry, node: node, in: self)
                view.freshness = stale["storage:\(node)"]
                inventory.storage.append(view)
            }
        }
        for node in disks.keys.sorted() {
            inventory.physicalDisks += (disks[node] ?? []).map { disk in
                var view = PhysicalDiskView(disk, node: node, in: self)
                view.freshness = stale["disks:\(node)"]
                return view
            }
        }
        if let status = latest.ceph, var cluster = CephCluster(status: status, df: nil, collectedAt: polledAt) {
            cluster.pools = latest.cephPools.map { $0.compactMap(CephPool.init) }
            var view = CephClusterView(cluster, id: "\(instance.name)-ceph-\(cluster.fsid)", instance: instance.name, lastUpdated: polledAt)
            view.freshness = stale["ceph"]
            inventory.ceph = view
        }
        inventory.replicationJobs = latest.replication.map { ReplicationJobView($0, status: latest.replicationStatus[$0.id], in: self) }
        inventory.backups.backupTasks = backups.tasks.map { BackupTaskView($0, in: self) }
        inventory.backups.storageBackups = backups.storageBackups.map {
            StorageBackupView(node: $0.node, storage: $0.storage, item: $0.item, storageType: storageTypes[$0.storage], in: self)
        }
        inventory.backups.guestSnapshots = guestSnapshots.keys.sorted().flatMap { key in
            (guestSnapshots[key] ?? []).map { GuestSnapshotView(node: $0.node, type: $0.type, vmid: $0.vmid, snapshot: $0.snapshot, in: self) }
        }
        inventory.staleData = stale.sorted { $0.key < $1.key }.map {
            StaleDataView(instance: instance.name, type: "pve", part: $0.key, freshness: $0.value)
        }
        return inventory
    }
}

extension CephPool {
    /// A pool from PVE's `/nodes/{node}/ceph/pool`; what is free follows from used and its share.
    package init?(_ pool: PVEAPI.CephPool) {
        guard let name = pool.pool_name else { return nil }
        let used = pool.bytes_used.uint64
        let fraction = pool.percent_used.double
        let available = fraction > 0 && fraction < 1 ? UInt64(Double(used) / fraction) - used : 0
        self.init(id: pool.pool.int, name: name, bytesUsed: used, bytesAvailable: available, objects: 0, percentUsed: fraction * 100)
    }
}

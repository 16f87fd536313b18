import AgentProtocol
package import Foundation
import PulseSupport

/// Everything a snapshot is built from, copied out of `MonitoringState` at one instant.
///
/// The copy is cheap (the dictionaries hold value types and share storage until written), so
/// the actor is held only to take it; building the views from it, thousands of them with many
/// Docker hosts, then runs on the caller's task, beside ingest.
package struct StateContents: Sendable {
    package var now: Date
    var bootedAt: Date
    var lastChange: Date
    package var hosts: [String: HostAgentRecord]
    package var dockerHosts: [String: DockerAgentRecord]
    package var kubernetesClusters: [String: KubernetesAgentRecord]
    package var pveInstances: [String: PolledPVE]
    package var pbsInstances: [String: PolledInstance<PBSInventory>]
    package var pmgInstances: [String: PolledInstance<PMGInventory>]
    /// Node ID → machine-id of the linked host agent, as learned on ingest.
    var nodeMachineLinks: [String: String]
    /// Administrators' host ↔ node link overrides, by host ID.
    var linkOverrides: [String: HostLinkOverride] = [:]
    package var removed: [String: RemovedAgent]
    package var activeAlerts: [Alert]
    package var metadata: [MetadataKind: [String: ResourceMetadata]]
    var temperatureMonitoring: Bool
    var pollingCycles: Int
    var webSocketClients: Int
    /// The state version these contents are of (`StateChanges.current`).
    var version: UInt64

    /// The whole state in Pulse's field names.
    package func snapshot() -> StateSnapshot {
        let now = self.now
        var snapshot = StateSnapshot()
        snapshot.hosts = hosts.values.sorted { $0.id < $1.id }.map { HostView($0, status: $0.status(bootedAt: bootedAt, now: now)) }
        snapshot.cephClusters = CephClusterView.fromHosts(hosts.values)
        snapshot.dockerHosts = dockerHosts.values.sorted { $0.id < $1.id }.map { DockerHostView($0, status: $0.status(bootedAt: bootedAt, now: now)) }
        snapshot.kubernetesClusters = kubernetesClusters.values.sorted { $0.id < $1.id }
            .map { KubernetesClusterView($0, status: $0.status(bootedAt: bootedAt, now: now)) }
        let removedSorted = removed.values.filter { $0.blocks(at: now) }.sorted { $0.removedAt > $1.removedAt }
        snapshot.removedHosts = removedSorted.filter { $0.kind == .host }.map(RemovedAgentView.init)
        snapshot.removedDockerHosts = removedSorted.filter { $0.kind == .docker }.map(RemovedAgentView.init)
        snapshot.removedKubernetesClusters = removedSorted.filter { $0.kind == .kubernetes }.map(RemovedAgentView.init)
        snapshot.connectionHealth = OfflinePolicy.statuses(
            hosts: hosts, dockerHosts: dockerHosts, kubernetesClusters: kubernetesClusters, bootedAt: bootedAt, now: now
        ).mapValues { $0 == .online }
        addProxmox(to: &snapshot, at: now)
        attachMetadata(to: &snapshot)
        snapshot.temperatureMonitoringEnabled = temperatureMonitoring
        if !temperatureMonitoring {
            for index in snapshot.nodes.indices { snapshot.nodes[index].temperature = nil }
        }
        snapshot.activeAlerts = activeAlerts
        snapshot.lastUpdate = lastChange.unixMillis
        snapshot.stats.startTime = bootedAt.unixMillis
        snapshot.stats.uptime = Int64(now.timeIntervalSince(bootedAt))
        snapshot.stats.pollingCycles = pollingCycles
        snapshot.stats.webSocketClients = webSocketClients
        return snapshot
    }

    // MARK: Proxmox

    /// Adds the Proxmox instances' views, then links agents to the nodes they run on.
    func addProxmox(to snapshot: inout StateSnapshot, at now: Date) {
        for record in pveInstances.values.sorted(by: { $0.inventory.instanceName < $1.inventory.instanceName }) {
            let inventory = record.inventory
            snapshot.nodes += inventory.nodes.map { record.node($0, at: now) }
            snapshot.vms += inventory.guests.filter { $0.type == "qemu" }
            snapshot.containers += inventory.guests.filter { $0.type == "lxc" }
            snapshot.storage += inventory.storage
            snapshot.physicalDisks += inventory.physicalDisks
            if let ceph = inventory.ceph {
                snapshot.cephClusters.removeAll { $0.fsid == ceph.fsid }
                snapshot.cephClusters.append(ceph)
            }
            snapshot.replicationJobs += inventory.replicationJobs
            snapshot.pveBackups.backupTasks += inventory.backups.backupTasks
            snapshot.pveBackups.storageBackups += inventory.backups.storageBackups
            snapshot.pveBackups.guestSnapshots += inventory.backups.guestSnapshots
            snapshot.connectionHealth[inventory.instanceName] = record.healthy
            snapshot.staleData += Self.staleData(
                inventory.staleData, healthy: record.healthy, polledAt: record.polledAt, instance: inventory.instanceName, type: "pve")
        }
        snapshot.backups.pve = snapshot.pveBackups
        for record in pbsInstances.values.sorted(by: { $0.inventory.instanceName < $1.inventory.instanceName }) {
            var server = record.inventory.server
            server.status = record.healthy ? "online" : "offline"
            server.connectionHealth = record.healthy ? "healthy" : "error"
            snapshot.pbs.append(server)
            snapshot.pbsBackups += record.inventory.backups
            snapshot.connectionHealth["pbs-\(record.inventory.instanceName)"] = record.healthy
            snapshot.staleData += Self.staleData(
                record.inventory.staleData, healthy: record.healthy, polledAt: record.polledAt, instance: record.inventory.instanceName, type: "pbs")
        }
        snapshot.backups.pbs = snapshot.pbsBackups
        for record in pmgInstances.values.sorted(by: { $0.inventory.instanceName < $1.inventory.instanceName }) {
            var server = record.inventory.server
            server.status = record.healthy ? "online" : "offline"
            server.connectionHealth = record.healthy ? "healthy" : "error"
            snapshot.pmg.append(server)
            snapshot.connectionHealth["pmg-\(record.inventory.instanceName)"] = record.healthy
            snapshot.staleData += Self.staleData(
                record.inventory.staleData, healthy: record.healthy, polledAt: record.polledAt, instance: record.inventory.instanceName, type: "pmg")
        }
        linkHosts(in: &snapshot)
    }

    /// An instance's stale parts; while its polls fail, everything it shows is as of its last
    /// successful poll (`poll`).
    static func staleData(_ parts: [StaleDataView], healthy: Bool, polledAt: Date, instance: String, type: String) -> [StaleDataView] {
        guard !healthy else { return parts }
        let whole = DataFreshness(lastGood: polledAt, error: "the last poll of the instance failed", hasValues: true)
        return [StaleDataView(instance: instance, type: type, part: "poll", freshness: whole)] + parts
    }

    /// Puts each linked agent's temperatures and SMART temperatures on its node and disks, and
    /// the link IDs on both sides; remembers node ↔ machine-id links for next time.
    private func linkHosts(in snapshot: inout StateSnapshot) {
        guard !snapshot.nodes.isEmpty, !hosts.isEmpty else { return }
        let links = ProxmoxHostLinker.link(
            nodes: snapshot.nodes, guests: snapshot.vms + snapshot.containers, hosts: hosts.values, remembered: nodeMachineLinks,
            overrides: linkOverrides)
        for index in snapshot.nodes.indices {
            guard let hostID = links.hostOfNode[snapshot.nodes[index].id], let host = hosts[hostID] else { continue }
            snapshot.nodes[index].linkedHostAgentId = hostID
            snapshot.nodes[index].temperature = NodeTemperatureView(host.report.sensors, at: host.receivedAt)
            let node = snapshot.nodes[index]
            for disk in (host.report.sensors.smart ?? []) where disk.temperature > 0 {
                guard
                    let diskIndex = snapshot.physicalDisks.firstIndex(where: { candidate in
                        candidate.instance == node.instance && candidate.node == node.node && Self.sameDisk(candidate, disk)
                    })
                else { continue }
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

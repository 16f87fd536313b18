import AgentProtocol
import Foundation

/// One Ceph cluster in `/api/state`'s `cephClusters`, as Pulse shows it.
///
/// Host agents on Ceph nodes each report the same cluster; one entry per fsid is kept, from the
/// most recent report. (The Proxmox poller will add clusters it sees through the PVE API.)
struct CephClusterView: Encodable, Sendable {
    var id: String
    /// `agent:<host id>` for a cluster known from a host agent.
    var instance: String
    var name: String
    var fsid: String?
    var health: String
    var healthMessage: String?
    var totalBytes: UInt64
    var usedBytes: UInt64
    var availableBytes: UInt64
    var usagePercent: Double
    var numMons: Int
    var numMgrs: Int
    var numOsds: Int
    var numOsdsUp: Int
    var numOsdsIn: Int
    var numPGs: Int
    var pools: [CephPool]?
    var services: [CephService]?
    /// Unix milliseconds.
    var lastUpdated: Int64

    init(_ cluster: CephCluster, reportedBy host: HostAgentRecord) {
        id = "ceph-\(cluster.fsid)"
        instance = "agent:\(host.id)"
        name = "Ceph \(cluster.fsid.prefix(8))"
        fsid = cluster.fsid
        health = cluster.health.status
        healthMessage = cluster.health.checks.flatMap { checks in
            let messages = checks.keys.sorted().compactMap { checks[$0]?.message }
            return messages.isEmpty ? nil : messages.joined(separator: "; ")
        }
        totalBytes = cluster.pgMap.bytesTotal
        usedBytes = cluster.pgMap.bytesUsed
        availableBytes = cluster.pgMap.bytesAvailable
        usagePercent = cluster.pgMap.usagePercent
        numMons = cluster.monMap.numMons
        numMgrs = cluster.mgrMap.numMgrs
        numOsds = cluster.osdMap.numOsds
        numOsdsUp = cluster.osdMap.numUp
        numOsdsIn = cluster.osdMap.numIn
        numPGs = cluster.pgMap.numPgs
        pools = cluster.pools
        services = cluster.services
        lastUpdated = host.receivedAt.unixMillis
    }

    /// A cluster seen through a PVE instance's `/cluster/ceph/status`; nil without an fsid.
    init?(_ status: PVEAPI.CephStatus, instance: String, at polledAt: Date) {
        guard let fsid = status.fsid, !fsid.isEmpty else { return nil }
        id = "\(instance)-ceph-\(fsid)"
        self.instance = instance
        name = "Ceph \(fsid.prefix(8))"
        self.fsid = fsid
        health = status.health?.status ?? "HEALTH_UNKNOWN"
        let messages = (status.health?.checks ?? [:]).sorted { $0.key < $1.key }.compactMap { $0.value.summary?.message }
        healthMessage = messages.isEmpty ? nil : messages.joined(separator: "; ")
        totalBytes = status.pgmap?.bytes_total.uint64 ?? 0
        usedBytes = status.pgmap?.bytes_used.uint64 ?? 0
        availableBytes = status.pgmap?.bytes_avail.uint64 ?? 0
        usagePercent = totalBytes > 0 ? Double(usedBytes) / Double(totalBytes) * 100 : 0
        numMons = status.monmap?.num_mons?.value.map(Int.init) ?? status.monmap?.mons?.count ?? 0
        numMgrs = (status.mgrmap?.available == true || status.mgrmap?.active_name != nil ? 1 : 0) + (status.mgrmap?.num_standbys.int ?? 0)
        let osd = status.osdmap
        numOsds = osd?.num_osds?.value.map(Int.init) ?? osd?.osdmap?.num_osds.int ?? 0
        numOsdsUp = osd?.num_up_osds?.value.map(Int.init) ?? osd?.osdmap?.num_up_osds.int ?? 0
        numOsdsIn = osd?.num_in_osds?.value.map(Int.init) ?? osd?.osdmap?.num_in_osds.int ?? 0
        numPGs = status.pgmap?.num_pgs.int ?? 0
        pools = nil
        services = nil
        lastUpdated = polledAt.unixMillis
    }

    /// One view per fsid from the hosts' latest reports, the most recently received winning.
    static func fromHosts(_ hosts: some Sequence<HostAgentRecord>) -> [CephClusterView] {
        var newest: [String: HostAgentRecord] = [:]
        for host in hosts {
            guard let fsid = host.report.ceph?.fsid, !fsid.isEmpty else { continue }
            if let current = newest[fsid], current.receivedAt >= host.receivedAt { continue }
            newest[fsid] = host
        }
        return newest.keys.sorted().compactMap { fsid in
            newest[fsid].flatMap { host in host.report.ceph.map { CephClusterView($0, reportedBy: host) } }
        }
    }
}

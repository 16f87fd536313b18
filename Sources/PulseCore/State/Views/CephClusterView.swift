package import AgentProtocol
package import Foundation
import PulseSupport

/// One Ceph cluster in `/api/state`'s `cephClusters`, as Pulse shows it.
///
/// Host agents on Ceph nodes each report the same cluster; one entry per fsid is kept, from the
/// most recent report. The PVE poller adds the clusters it sees through the PVE API, in the same shape.
package struct CephClusterView: Encodable, Sendable {
    package var id: String
    /// `agent:<host id>` for a cluster known from a host agent.
    package var instance: String
    package var name: String
    package var fsid: String?
    package var health: String
    var healthMessage: String?
    package var totalBytes: UInt64
    package var usedBytes: UInt64
    var availableBytes: UInt64
    var usagePercent: Double
    var numMons: Int
    var numMgrs: Int
    var numOsds: Int
    var numOsdsUp: Int
    var numOsdsIn: Int
    var numPGs: Int
    package var pools: [CephPool]?
    package var services: [CephService]?
    /// Unix milliseconds.
    package var lastUpdated: Int64
    /// Present when the last poll could not read the cluster's Ceph status: these are the last good values.
    package var freshness: DataFreshness?

    package init(_ cluster: CephCluster, reportedBy host: HostAgentRecord) {
        self.init(cluster, id: "ceph-\(cluster.fsid)", instance: "agent:\(host.id)", lastUpdated: host.receivedAt)
    }

    /// `instance`: `agent:<host id>` for a cluster a host agent reported, the PVE instance's name
    /// for one polled through `/cluster/ceph/status`.
    package init(_ cluster: CephCluster, id: String, instance: String, lastUpdated: Date) {
        self.id = id
        self.instance = instance
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
        self.lastUpdated = lastUpdated.unixMillis
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

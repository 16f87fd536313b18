import AgentProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CephCluster {
    /// The report's `ceph` object from the two commands' outputs; nil without an fsid (not a
    /// cluster the CLI could reach).
    public init?(status: CephStatusOutput, df: CephDFOutput?, collectedAt: Date) {
        guard let fsid = status.fsid, !fsid.isEmpty else { return nil }
        let quorum = status.quorumNames ?? []
        let monitorCount = status.monmap?.numMons ?? status.monmap?.mons?.count ?? quorum.count
        let monitors =
            status.monmap?.mons.map { mons in
                mons.enumerated().map { index, mon in
                    let name = mon.name ?? "mon.\(index)"
                    return CephMonitor(
                        name: name, rank: mon.rank ?? index, addr: mon.addr, status: quorum.contains(name) ? "in quorum" : "out of quorum")
                }
            } ?? quorum.enumerated().map { index, name in CephMonitor(name: name, rank: index, status: "in quorum") }

        let osd = status.osdmap
        let osdCount = osd?.numOsds ?? osd?.nested?.numOsds ?? 0
        let osdUp = osd?.numUpOsds ?? osd?.nested?.numUpOsds ?? 0
        let osdIn = osd?.numInOsds ?? osd?.nested?.numInOsds ?? 0

        let manager = status.mgrmap
        let managerUp = manager?.available == true
        let standbys = manager?.numStandbys ?? manager?.standbys?.count ?? 0

        let pg = status.pgmap
        let total = pg?.bytesTotal ?? 0
        let used = pg?.bytesUsed ?? 0

        var services = [
            CephService(type: "mon", running: quorum.count, total: monitorCount, daemons: quorum.isEmpty ? nil : quorum),
            CephService(type: "mgr", running: (managerUp ? 1 : 0) + standbys, total: (managerUp ? 1 : 0) + standbys),
            CephService(type: "osd", running: osdUp, total: osdCount),
        ]
        for (type, service) in (status.servicemap?.services ?? [:]).sorted(by: { $0.key < $1.key }) {
            let daemons = (service.daemons ?? [:]).keys.filter { $0 != "summary" }.sorted()
            guard !daemons.isEmpty else { continue }
            services.append(CephService(type: type, running: daemons.count, total: daemons.count, daemons: daemons))
        }

        self.init(
            fsid: fsid,
            health: CephHealth(
                status: status.health?.status ?? "HEALTH_UNKNOWN",
                checks: status.health?.checks.flatMap { checks in
                    checks.isEmpty ? nil : checks.mapValues { CephCheck(severity: $0.severity ?? "HEALTH_WARN", message: $0.summary?.message) }
                }),
            monMap: CephMonitorMap(epoch: status.monmap?.epoch ?? 0, numMons: monitorCount, monitors: monitors.isEmpty ? nil : monitors),
            mgrMap: CephManagerMap(
                available: managerUp, numMgrs: (managerUp ? 1 : 0) + standbys, activeMgr: manager?.activeName, standbys: standbys),
            osdMap: CephOSDMap(
                epoch: osd?.epoch ?? osd?.nested?.epoch ?? 0, numOsds: osdCount, numUp: osdUp, numIn: osdIn,
                numDown: osdCount - osdUp, numOut: osdCount - osdIn),
            pgMap: CephPGMap(
                numPgs: pg?.numPgs ?? 0, bytesTotal: total, bytesUsed: used, bytesAvailable: pg?.bytesAvail ?? 0,
                dataBytes: pg?.dataBytes, usagePercent: total > 0 ? Double(used) / Double(total) * 100 : 0,
                degradedRatio: pg?.degradedRatio, misplacedRatio: pg?.misplacedRatio,
                readBytesPerSec: pg?.readBytesSec, writeBytesPerSec: pg?.writeBytesSec,
                readOpsPerSec: pg?.readOpPerSec, writeOpsPerSec: pg?.writeOpPerSec),
            pools: df?.pools.map { pools in
                pools.compactMap { pool in
                    guard let name = pool.name else { return nil }
                    return CephPool(
                        id: pool.id ?? 0, name: name, bytesUsed: pool.stats?.bytesUsed ?? 0,
                        bytesAvailable: pool.stats?.maxAvail ?? 0, objects: pool.stats?.objects ?? 0,
                        percentUsed: (pool.stats?.percentUsed ?? 0) * 100)
                }
            },
            services: services,
            collectedAt: RFC3339.format(collectedAt) ?? "")
    }
}

import Foundation
import PulseCore
import PulseSupport

extension NodeView {
    /// A node as its poll saw it; the state sets `status`, `lastSeen` and `connectionHealth`,
    /// which depend on when the node last answered.
    package init(_ entry: PVEAPI.Node, in record: PVEPollHistory) {
        self.init()
        let instance = record.instance
        let status = record.latest.nodeStatus[entry.node]
        id = "\(instance.name)-\(entry.node)"
        node = entry.node
        name = entry.node
        displayName = entry.node
        self.instance = instance.name
        host = instance.host
        cpu = status?.cpu?.value ?? entry.cpu.double
        let total = status?.memory?.total.uint64 ?? entry.maxmem.uint64
        // Proxmox's "used" counts page cache; available memory is the honest figure when given.
        let available = status?.memory?.available?.value.map { UInt64(saturating: $0) }
        let used = available.map { total > $0 ? total - $0 : 0 } ?? status?.memory?.used.uint64 ?? entry.mem.uint64
        memory = MemoryView(
            total: total, used: used, free: status?.memory?.free?.value.map { UInt64(saturating: $0) },
            swapUsed: status?.swap?.used?.value.map { UInt64(saturating: $0) }, swapTotal: status?.swap?.total?.value.map { UInt64(saturating: $0) })
        mem = used
        maxmem = total
        let diskTotal = status?.rootfs?.total.uint64 ?? entry.maxdisk.uint64
        disk = MemoryView(total: diskTotal, used: status?.rootfs?.used.uint64 ?? entry.disk.uint64).map { view in
            var view = view
            view.swapUsed = nil
            view.swapTotal = nil
            return view
        }
        maxdisk = diskTotal
        uptime = Int64(saturating: status?.uptime.double ?? entry.uptime.double)
        loadAverage = status?.loadavg?.compactMap(\.value) ?? []
        kernelVersion = status?.kversion ?? status?.currentKernel?.release ?? ""
        pveVersion = status?.pveversion ?? ""
        cpuInfo = CPUInfoView(
            model: status?.cpuinfo?.model ?? "", cores: status?.cpuinfo?.cores.int ?? entry.maxcpu.int,
            sockets: status?.cpuinfo?.sockets.int ?? 0, mhz: status?.cpuinfo?.mhz?.value.map { String(format: "%.3f", $0) } ?? "")
        isClusterMember = record.latest.clusterName != nil
        clusterName = record.latest.clusterName
    }
}

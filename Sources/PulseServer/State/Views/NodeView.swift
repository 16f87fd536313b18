import Foundation

/// A PVE node in `/api/state` `nodes`, in Pulse's field names (times in Unix ms, `cpu` a 0–1 ratio).
struct NodeView: Encodable, Sendable {
    struct CPUInfoView: Encodable, Sendable {
        var model: String
        var cores: Int
        var sockets: Int
        var mhz: String
    }

    var id: String
    var node: String
    var name: String
    var displayName: String
    var instance: String
    var host: String
    var status: String
    var type = "node"
    var cpu: Double
    var memory: MemoryView?
    var mem: UInt64
    var maxmem: UInt64
    var disk: MemoryView?
    var maxdisk: UInt64
    var uptime: Int64
    var loadAverage: [Double]
    var kernelVersion: String
    var pveVersion: String
    var cpuInfo: CPUInfoView
    /// From the host agent running on this node.
    var temperature: NodeTemperatureView?
    var linkedHostAgentId: String?
    var lastSeen: Int64
    var connectionHealth: String
    var isClusterMember: Bool
    var clusterName: String?

    init(_ entry: PVEAPI.Node, in record: PVEInstanceRecord, at now: Date) {
        let instance = record.instance
        let status = record.latest.nodeStatus[entry.node]
        id = "\(instance.name)-\(entry.node)"
        node = entry.node
        name = entry.node
        displayName = entry.node
        self.instance = instance.name
        host = instance.host
        self.status = record.nodeStatus(entry.node, at: now)
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
        lastSeen = (record.nodeLastSeen[entry.node] ?? record.polledAt).unixMillis
        connectionHealth = self.status == "online" && record.healthy ? "healthy" : "error"
        isClusterMember = record.latest.clusterName != nil
        clusterName = record.latest.clusterName
    }
}

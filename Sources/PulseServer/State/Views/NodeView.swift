import Foundation

/// A PVE node in `/api/state` `nodes`, in Pulse's field names (times in Unix ms, `cpu` a 0–1 ratio).
struct NodeView: Encodable, Sendable {
    struct CPUInfoView: Encodable, Sendable {
        var model: String
        var cores: Int
        var sockets: Int
        var mhz: String
    }

    var id: String = ""
    var node: String = ""
    var name: String = ""
    var displayName: String = ""
    var instance: String = ""
    var host: String = ""
    var status: String = ""
    var type = "node"
    var cpu: Double = 0
    var memory: MemoryView?
    var mem: UInt64 = 0
    var maxmem: UInt64 = 0
    var disk: MemoryView?
    var maxdisk: UInt64 = 0
    var uptime: Int64 = 0
    var loadAverage: [Double] = []
    var kernelVersion: String = ""
    var pveVersion: String = ""
    var cpuInfo = CPUInfoView(model: "", cores: 0, sockets: 0, mhz: "")
    /// From the host agent running on this node.
    var temperature: NodeTemperatureView?
    var linkedHostAgentId: String?
    var lastSeen: Int64 = 0
    var connectionHealth: String = ""
    var isClusterMember: Bool = false
    var clusterName: String?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

import Foundation

/// A PVE node in `/api/state` `nodes`, in Pulse's field names (times in Unix ms, `cpu` a 0–1 ratio).
package struct NodeView: Encodable, Sendable {
    package struct CPUInfoView: Encodable, Sendable {
        package var model: String
        package var cores: Int
        package var sockets: Int
        package var mhz: String

        /// Every stored property, in declaration order (for the modules that build this value).
        package init(model: String, cores: Int, sockets: Int, mhz: String) {
            self.model = model
            self.cores = cores
            self.sockets = sockets
            self.mhz = mhz
        }
    }

    package var id: String = ""
    package var node: String = ""
    package var name: String = ""
    package var displayName: String = ""
    package var instance: String = ""
    package var host: String = ""
    package var status: String = ""
    package var type = "node"
    package var cpu: Double = 0
    package var memory: MemoryView?
    package var mem: UInt64 = 0
    package var maxmem: UInt64 = 0
    package var disk: MemoryView?
    package var maxdisk: UInt64 = 0
    package var uptime: Int64 = 0
    package var loadAverage: [Double] = []
    package var kernelVersion: String = ""
    package var pveVersion: String = ""
    package var cpuInfo = CPUInfoView(model: "", cores: 0, sockets: 0, mhz: "")
    /// From the host agent running on this node.
    package var temperature: NodeTemperatureView?
    var linkedHostAgentId: String?
    package var lastSeen: Int64 = 0
    package var connectionHealth: String = ""
    package var isClusterMember: Bool = false
    package var clusterName: String?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

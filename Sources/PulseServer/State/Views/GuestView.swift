import Foundation

/// A VM or container in `/api/state` `vms` / `containers`.
struct GuestView: Encodable, Sendable {
    var id: String = ""
    var vmid: Int = 0
    var name: String = ""
    var node: String = ""
    var instance: String = ""
    var status: String = ""
    var type: String = ""
    var cpu: Double = 0
    var cpus: Int = 0
    var memory: MemoryView?
    var mem: UInt64 = 0
    var maxmem: UInt64 = 0
    var disk: MemoryView?
    /// From the guest agent (VMs): filesystems, OS, interfaces.
    var disks: [DiskView]?
    var osName: String?
    var osVersion: String?
    var networkInterfaces: [GuestInterfaceView]?
    var ipAddresses: [String]?
    var networkIn: Double = 0
    var networkOut: Double = 0
    var diskRead: Double = 0
    var diskWrite: Double = 0
    var uptime: Int64 = 0
    var template: Bool = false
    var tags: String?
    var lock: String?
    var lastSeen: Int64 = 0

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

/// A guest's network interface as its agent reports it.
struct GuestInterfaceView: Encodable, Sendable {
    var name: String
    var mac: String?
    var addresses: [String]?
}

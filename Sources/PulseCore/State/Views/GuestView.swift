import Foundation

/// A VM or container in `/api/state` `vms` / `containers`.
package struct GuestView: Encodable, Sendable {
    package var id: String = ""
    package var vmid: Int = 0
    package var name: String = ""
    package var node: String = ""
    package var instance: String = ""
    package var status: String = ""
    package var type: String = ""
    package var cpu: Double = 0
    package var cpus: Int = 0
    package var memory: MemoryView?
    package var mem: UInt64 = 0
    package var maxmem: UInt64 = 0
    package var disk: MemoryView?
    /// From the guest agent (VMs): filesystems, OS, interfaces.
    package var disks: [DiskView]?
    package var osName: String?
    package var osVersion: String?
    package var networkInterfaces: [GuestInterfaceView]?
    package var ipAddresses: [String]?
    package var networkIn: Double = 0
    package var networkOut: Double = 0
    package var diskRead: Double = 0
    package var diskWrite: Double = 0
    package var uptime: Int64 = 0
    package var template: Bool = false
    package var tags: String?
    package var lock: String?
    package var lastSeen: Int64 = 0
    /// What a user attached (console URL, notes, tags); absent when nothing.
    package var metadata: ResourceMetadata?

    /// An empty value, filled in by the module that builds it.
    package init() {}
}

/// A guest's network interface as its agent reports it.
package struct GuestInterfaceView: Encodable, Sendable {
    package var name: String
    package var mac: String?
    package var addresses: [String]?

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(name: String, mac: String? = nil, addresses: [String]? = nil) {
        self.name = name
        self.mac = mac
        self.addresses = addresses
    }
}

import Foundation

/// A VM or container in `/api/state` `vms` / `containers`.
struct GuestView: Encodable, Sendable {
    var id: String
    var vmid: Int
    var name: String
    var node: String
    var instance: String
    var status: String
    var type: String
    var cpu: Double
    var cpus: Int
    var memory: MemoryView?
    var mem: UInt64
    var maxmem: UInt64
    var disk: MemoryView?
    /// From the guest agent (VMs): filesystems, OS, interfaces.
    var disks: [DiskView]?
    var osName: String?
    var osVersion: String?
    var networkInterfaces: [GuestInterfaceView]?
    var ipAddresses: [String]?
    var networkIn: Double
    var networkOut: Double
    var diskRead: Double
    var diskWrite: Double
    var uptime: Int64
    var template: Bool
    var tags: String?
    var lock: String?
    var lastSeen: Int64

    init?(_ guest: PVEAPI.Guest, in record: PVEInstanceRecord) {
        guard let key = PVEInstanceRecord.guestKey(guest), let node = guest.node, let vmid = guest.vmid?.value else { return nil }
        let rates = record.guestRates[key] ?? PVEInstanceRecord.GuestRates()
        let number = Int(saturating: vmid)
        id = "\(record.instance.name):\(node):\(number)"
        self.vmid = number
        name = guest.name ?? "\(number)"
        self.node = node
        instance = record.instance.name
        status = guest.status ?? "unknown"
        type = guest.type ?? "qemu"
        cpu = guest.cpu.double
        cpus = guest.maxcpu?.value.map(Int.init) ?? guest.cpus.int
        memory = MemoryView(total: guest.maxmem.uint64, used: guest.mem.uint64)
        mem = guest.mem.uint64
        maxmem = guest.maxmem.uint64
        disk = MemoryView(total: guest.maxdisk.uint64, used: guest.disk.uint64)
        networkIn = rates.netIn
        networkOut = rates.netOut
        diskRead = rates.diskRead
        diskWrite = rates.diskWrite
        uptime = Int64(saturating: guest.uptime.double)
        template = guest.template.flag
        // Proxmox separates tags with ';' (or spaces); Pulse joins them with ','.
        let tagList = (guest.tags ?? "").split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map(String.init)
        tags = tagList.isEmpty ? nil : tagList.joined(separator: ",")
        lock = guest.lock.flatMap { $0.isEmpty ? nil : $0 }
        lastSeen = record.polledAt.unixMillis
        if let details = record.guestDetails[key] { addAgentDetails(details) }
    }
}

extension GuestView {
    /// PVE reports 0 disk usage for VMs; the guest agent's filesystems give the real figure.
    fileprivate mutating func addAgentDetails(_ details: GuestAgentDetails) {
        osName = details.os?.prettyName ?? details.os?.name
        osVersion = details.os?.versionID ?? details.os?.version
        let filesystems = (details.filesystems ?? []).filter { fs in
            (fs.totalBytes?.value ?? 0) > 0 && !["squashfs", "iso9660", "tmpfs", "overlay"].contains(fs.type ?? "")
        }
        let views = filesystems.compactMap { fs -> DiskView? in
            guard let memory = MemoryView(total: fs.totalBytes.uint64, used: fs.usedBytes.uint64) else { return nil }
            return DiskView(total: memory.total, used: memory.used, free: memory.free, usage: memory.usage, mountpoint: fs.mountpoint, type: fs.type, device: fs.name)
        }
        if !views.isEmpty {
            disks = views
            let total = views.reduce(UInt64(0)) { $0.saturatingAdding(UInt64(clamping: $1.total)) }
            let used = views.reduce(UInt64(0)) { $0.saturatingAdding(UInt64(clamping: $1.used)) }
            disk = MemoryView(total: total, used: used)
        }
        let interfaces = (details.interfaces ?? []).filter { $0.name != "lo" }.map { interface in
            GuestInterfaceView(
                name: interface.name ?? "", mac: interface.hardwareAddress,
                addresses: (interface.ipAddresses ?? []).compactMap { address in
                    address.ipAddress.map { ip in address.prefix?.value.map { "\(ip)/\(Int(saturating: $0))" } ?? ip }
                })
        }
        networkInterfaces = interfaces.isEmpty ? nil : interfaces
        let addresses = interfaces.flatMap { $0.addresses ?? [] }.map { String($0.split(separator: "/").first ?? "") }
        ipAddresses = addresses.isEmpty ? nil : addresses
    }
}

/// A guest's network interface as its agent reports it.
struct GuestInterfaceView: Encodable, Sendable {
    var name: String
    var mac: String?
    var addresses: [String]?
}

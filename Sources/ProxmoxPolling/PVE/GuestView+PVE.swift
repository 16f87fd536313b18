import Foundation
import PulseCore
import PulseSupport

extension GuestView {
    package init?(_ guest: PVEAPI.Guest, in record: PVEPollHistory) {
        self.init()
        guard let key = PVEPollHistory.guestKey(guest), let node = guest.node, let vmid = guest.vmid?.value else { return nil }
        let rates = record.guestRates[key] ?? PVEPollHistory.GuestRates()
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
            return DiskView(
                total: memory.total, used: memory.used, free: memory.free, usage: memory.usage, mountpoint: fs.mountpoint, type: fs.type,
                device: fs.name)
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

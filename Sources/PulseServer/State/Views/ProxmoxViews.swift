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
        let available = status?.memory?.available?.value.map { UInt64(max(0, $0)) }
        let used = available.map { total > $0 ? total - $0 : 0 } ?? status?.memory?.used.uint64 ?? entry.mem.uint64
        memory = MemoryView(
            total: total, used: used, free: status?.memory?.free?.value.map { UInt64(max(0, $0)) },
            swapUsed: status?.swap?.used?.value.map { UInt64(max(0, $0)) }, swapTotal: status?.swap?.total?.value.map { UInt64(max(0, $0)) })
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
        uptime = Int64(status?.uptime.double ?? entry.uptime.double)
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
        id = "\(record.instance.name):\(node):\(Int(vmid))"
        self.vmid = Int(vmid)
        name = guest.name ?? "\(Int(vmid))"
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
        uptime = Int64(guest.uptime.double)
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
            let total = views.reduce(UInt64(0)) { $0 + UInt64($1.total) }
            let used = views.reduce(UInt64(0)) { $0 + UInt64($1.used) }
            disk = MemoryView(total: total, used: used)
        }
        let interfaces = (details.interfaces ?? []).filter { $0.name != "lo" }.map { interface in
            GuestInterfaceView(
                name: interface.name ?? "", mac: interface.hardwareAddress,
                addresses: (interface.ipAddresses ?? []).compactMap { address in
                    address.ipAddress.map { ip in address.prefix?.value.map { "\(ip)/\(Int($0))" } ?? ip }
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

/// A storage on one node in `/api/state` `storage` and `/api/storage/`.
struct StorageView: Encodable, Sendable {
    var id: String
    var storage: String
    var name: String
    var node: String
    var instance: String
    var type: String
    var status: String
    var total: UInt64
    var used: UInt64
    var avail: UInt64
    var free: UInt64
    var usage: Double
    var content: String
    var shared: Bool
    var enabled: Bool
    var active: Bool
    /// For a ZFS storage: its pool's size, allocation, fragmentation and health.
    var zfsPool: ZFSPoolView?

    struct ZFSPoolView: Encodable, Sendable {
        var name: String
        var health: String
        var size: UInt64
        var alloc: UInt64
        var free: UInt64
        var frag: Int
        var dedup: Double
    }

    init(_ entry: PVEAPI.Storage, node: String, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(node)-\(entry.storage)"
        storage = entry.storage
        name = entry.storage
        self.node = node
        instance = record.instance.name
        type = entry.type ?? ""
        enabled = entry.enabled?.value.map { $0 != 0 } ?? true
        active = entry.active.flag
        status = !enabled ? "disabled" : active ? "available" : "unavailable"
        total = entry.total.uint64
        used = entry.used.uint64
        avail = entry.avail.uint64
        free = avail
        usage = total > 0 ? min(100, Double(used) / Double(total) * 100) : 0
        content = entry.content ?? ""
        shared = entry.shared.flag
        if entry.type == "zfspool", let dataset = record.zfsStoragePools[entry.storage],
            let pool = record.zfsPools[node]?.first(where: { $0.name == String(dataset.split(separator: "/").first ?? "") })
        {
            zfsPool = ZFSPoolView(
                name: pool.name, health: pool.health ?? "UNKNOWN", size: pool.size.uint64, alloc: pool.alloc.uint64,
                free: pool.free.uint64, frag: pool.frag.int, dedup: pool.dedup?.value ?? 1)
        }
    }
}

/// A physical disk in `/api/state` `physicalDisks` (times RFC 3339, as Pulse's raw models).
struct PhysicalDiskView: Encodable, Sendable {
    var id: String
    var node: String
    var instance: String
    var devPath: String
    var model: String
    var serial: String
    var wwn: String
    var type: String
    var size: UInt64
    /// PASSED, FAILED or UNKNOWN.
    var health: String
    /// Percent of life left, or −1 when the disk does not say.
    var wearout: Int
    var temperature: Int
    var rpm: Int
    var used: String
    var lastChecked: Date

    init(_ disk: PVEAPI.Disk, node: String, in record: PVEInstanceRecord) {
        devPath = disk.devpath ?? ""
        id = "\(record.instance.name)-\(node)-\(devPath.replacingOccurrences(of: "/", with: "-"))"
        self.node = node
        instance = record.instance.name
        model = disk.model ?? ""
        serial = disk.serial ?? ""
        wwn = disk.wwn ?? ""
        type = disk.type ?? ""
        size = disk.size.uint64
        let reported = (disk.health ?? "").uppercased()
        health = reported == "PASSED" || reported == "OK" ? "PASSED" : reported == "FAILED" ? "FAILED" : "UNKNOWN"
        wearout = disk.wearout?.value.map { Int($0) } ?? -1
        temperature = 0
        rpm = disk.rpm.int
        used = disk.used ?? ""
        lastChecked = record.disksCheckedAt ?? record.polledAt
    }
}

/// `pveBackups.backupTasks[]`
struct BackupTaskView: Encodable, Sendable {
    var id: String
    var node: String
    var type: String
    var vmid: Int
    var status: String
    var startTime: Date
    var endTime: Date?

    init(_ task: PVEAPI.Task, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(task.upid)"
        node = task.node ?? ""
        type = task.type ?? "vzdump"
        vmid = Int(task.id ?? "") ?? 0
        status = task.status ?? "running"
        startTime = Date(timeIntervalSince1970: task.starttime.double)
        endTime = task.endtime?.value.map { Date(timeIntervalSince1970: $0) }
    }
}

/// `pveBackups.storageBackups[]`
struct StorageBackupView: Encodable, Sendable {
    var id: String
    var storage: String
    var node: String
    var instance: String
    var type: String
    var vmid: Int
    var time: Date
    var ctime: Int64
    var size: UInt64
    var format: String
    var notes: String?
    var protected: Bool
    var volid: String
    var isPBS: Bool
    var verified: Bool

    init(node: String, storage: String, item: PVEAPI.StorageContent, storageType: String?, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(storage)-\(item.volid)"
        self.storage = storage
        self.node = node
        instance = record.instance.name
        let name = item.volid.lowercased()
        type = name.contains("-lxc-") || name.contains("/ct/") ? "lxc" : "qemu"
        vmid = item.vmid?.value.map(Int.init) ?? Self.vmid(fromVolumeID: item.volid) ?? 0
        ctime = Int64(item.ctime.double)
        time = Date(timeIntervalSince1970: item.ctime.double)
        size = item.size.uint64
        format = item.format ?? ""
        notes = item.notes
        protected = item.protected.flag
        volid = item.volid
        isPBS = storageType == "pbs"
        verified = item.verification?.state == "ok"
    }

    /// `vzdump-qemu-104-…` → 104.
    static func vmid(fromVolumeID volid: String) -> Int? {
        let parts = volid.split(separator: "-")
        guard let index = parts.firstIndex(where: { $0.hasSuffix("vzdump") }), index + 2 < parts.count else { return nil }
        return Int(parts[index + 2])
    }
}

/// `pveBackups.guestSnapshots[]`
struct GuestSnapshotView: Encodable, Sendable {
    var id: String
    var name: String
    var node: String
    var instance: String
    var type: String
    var vmid: Int
    var time: Date
    var description: String?
    var parent: String?
    var vmstate: Bool

    init(node: String, type: String, vmid: Int, snapshot: PVEAPI.Snapshot, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(node)-\(vmid)-\(snapshot.name)"
        name = snapshot.name
        self.node = node
        instance = record.instance.name
        self.type = type
        self.vmid = vmid
        time = Date(timeIntervalSince1970: snapshot.snaptime.double)
        description = snapshot.description.flatMap { $0.isEmpty ? nil : $0 }
        parent = snapshot.parent
        vmstate = snapshot.vmstate.flag
    }
}

/// `/api/state` `replicationJobs[]`: the cluster's storage replication jobs.
struct ReplicationJobView: Encodable, Sendable {
    var id: String
    var instance: String
    var jobId: String
    var guestId: Int
    var targetNode: String
    var type: String
    var schedule: String
    var enabled: Bool
    var comment: String?

    init(_ job: PVEAPI.ReplicationJob, in record: PVEInstanceRecord) {
        id = "\(record.instance.name)-\(job.id)"
        instance = record.instance.name
        jobId = job.id
        guestId = job.guest.int
        targetNode = job.target ?? ""
        type = job.type ?? "local"
        schedule = job.schedule ?? "*/15"
        enabled = !job.disable.flag
        comment = job.comment
    }
}

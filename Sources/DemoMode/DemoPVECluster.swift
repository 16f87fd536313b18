import Foundation
import ProxmoxPolling

/// The PVE API of one demo cluster as it reads at `time`: the client the real `PVEPoller` polls in
/// demo mode. Each answer is the API's JSON (`PVEReply`), decoded by the poller's own types, so
/// the estate takes the poller's path into the state, rates and all.
struct DemoPVECluster: ProxmoxClient {
    let cluster: EstateLayout.Cluster
    let time: Date
    let signal: Signal

    func get<T: Decodable & Sendable>(_ path: String, as type: T.Type) async throws -> T {
        // Suspends as a request to a real cluster would: a poll of hundreds of nodes is otherwise
        // one job that holds a thread of Swift concurrency's few until it is done.
        await Task.yield()
        let data = try JSONEncoder().encode(try reply(to: path))
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ProxmoxError(category: .transient, description: "GET \(path): unreadable reply (\(error))", status: 200)
        }
    }

    /// The `data` of the reply to `path`; a path this cluster does not serve answers 404 or, for a
    /// guest agent that is not running, 500 as PVE does.
    func reply(to path: String) throws -> any Encodable {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let parts = route.split(separator: "/").map(String.init)
        switch parts.count {
        case 1 where parts[0] == "nodes": return cluster.nodes.map(nodeEntry)
        case 1 where parts[0] == "storage": return storageConfiguration
        case 2 where parts[0] == "cluster":
            switch parts[1] {
            case "status": return clusterStatus
            case "resources": return cluster.guests.map(guestEntry)
            case "replication": return [PVEReply.StorageConfig]()
            default: break
            }
        case 3 where parts[0] == "nodes":
            guard let node = findNode(parts[1]) else { break }
            switch parts[2] {
            case "status": return status(of: node)
            case "storage": return storage(of: node)
            case "tasks": return backupTasks(on: node)
            case "replication": return [PVEReply.StorageConfig]()
            default: break
            }
        case 4 where parts[0] == "nodes" && parts[2] == "disks":
            guard let node = findNode(parts[1]) else { break }
            if parts[3] == "list" { return disks(of: node) }
            if parts[3] == "zfs" { return [zfsPool(of: node)] }
        case 5 where parts[0] == "nodes" && parts[2] == "storage" && parts[4] == "content":
            guard let node = findNode(parts[1]) else { break }
            // The shared backup storage holds every guest's backups; each node's local storage none.
            return parts[3] == Self.backupStorage && node.name == cluster.nodes.first?.name ? backups : [PVEReply.StorageContent]()
        case 5 where parts[0] == "nodes" && parts[4] == "snapshot":
            guard let guest = findGuest(parts[3], on: parts[1]) else { break }
            return snapshots(of: guest)
        case 6 where parts[0] == "nodes" && parts[2] == "qemu" && parts[4] == "agent":
            guard let guest = findGuest(parts[3], on: parts[1]) else { break }
            guard guest.guestAgent, !guest.stopped else {
                throw ProxmoxError(category: .transient, description: "GET \(path) answered 500: QEMU guest agent is not running", status: 500)
            }
            switch parts[5] {
            case "get-osinfo": return PVEReply.AgentResult(result: osInfo(of: guest))
            case "network-get-interfaces": return PVEReply.AgentResult(result: interfaces(of: guest))
            case "get-fsinfo": return PVEReply.AgentResult(result: filesystems(of: guest))
            default: break
            }
        default: break
        }
        throw ProxmoxError(category: .notFound, description: "GET \(path) answered 404", status: 404)
    }

    private func findNode(_ name: String) -> EstateLayout.Node? { cluster.nodes.first { $0.name == name } }

    private func findGuest(_ vmid: String, on node: String) -> EstateLayout.Guest? {
        guard let number = Int(vmid) else { return nil }
        return cluster.guests.first { $0.vmid == number && $0.node == node }
    }

    // MARK: Cluster

    private var clusterStatus: [PVEReply.ClusterStatusEntry] {
        var entries: [PVEReply.ClusterStatusEntry] = []
        if let name = cluster.clusterName {
            entries.append(.init(type: "cluster", name: name, id: "cluster", quorate: 1, nodes: cluster.nodes.count))
        }
        for (index, node) in cluster.nodes.enumerated() {
            entries.append(.init(type: "node", name: node.name, id: "node/\(node.name)", online: 1, ip: node.address, local: index == 0 ? 1 : 0))
        }
        return entries
    }

    private func guestEntry(_ guest: EstateLayout.Guest) -> PVEReply.Guest {
        let running = !guest.stopped
        let cpu = guest.hotCPU ? signal.wave(guest.key, at: time, base: 0.93, swing: 0.03) : wave(guest.key, 50, base: 0.02, spread: 0.3, swing: 0.06)
        let memory =
            guest.hotMemory
            ? signal.wave(guest.key ^ 1, at: time, base: 0.92, swing: 0.02) : wave(guest.key, 51, base: 0.3, spread: 0.45, swing: 0.04)
        let disk = guest.type == "lxc" ? Self.fraction(Double(guest.diskBytes), Signal.unit(guest.key, 52) * 0.5 + 0.2) : 0
        return PVEReply.Guest(
            id: "\(guest.type)/\(guest.vmid)", vmid: guest.vmid, type: guest.type, node: guest.node, name: guest.name,
            status: running ? "running" : "stopped", cpu: running ? min(1, max(0.001, cpu)) : 0, maxcpu: guest.cores,
            mem: running ? Self.fraction(Double(guest.memoryBytes), memory) : 0, maxmem: guest.memoryBytes, disk: running ? disk : 0,
            maxdisk: guest.diskBytes, diskread: running ? counter(guest.key ^ 2, 50_000, 5_000_000) : 0,
            diskwrite: running ? counter(guest.key ^ 3, 20_000, 3_000_000) : 0, netin: running ? counter(guest.key ^ 4, 10_000, 2_000_000) : 0,
            netout: running ? counter(guest.key ^ 5, 10_000, 2_000_000) : 0, uptime: running ? Signal.uptime(guest.key, at: time) : 0,
            tags: guest.tags)
    }

    // MARK: Nodes

    private func cpu(of node: EstateLayout.Node) -> Double {
        let load = node.highLoad ? signal.wave(node.key, at: time, base: 0.9, swing: 0.04) : wave(node.key, 60, base: 0.08, spread: 0.3, swing: 0.08)
        return min(0.99, max(0.01, load))
    }

    private func memoryUsed(of node: EstateLayout.Node) -> UInt64 {
        let share =
            node.memoryPressure
            ? signal.wave(node.key ^ 1, at: time, base: 0.9, swing: 0.02) : wave(node.key, 61, base: 0.35, spread: 0.35, swing: 0.03)
        return Self.fraction(Double(node.memoryBytes), share)
    }

    private func rootUsed(of node: EstateLayout.Node) -> UInt64 {
        Self.fraction(Double(node.rootBytes), wave(node.key, 62, base: 0.15, spread: 0.35, swing: 0.002))
    }

    private func nodeEntry(_ node: EstateLayout.Node) -> PVEReply.Node {
        PVEReply.Node(
            node: node.name, status: "online", cpu: cpu(of: node), maxcpu: node.cores, mem: memoryUsed(of: node), maxmem: node.memoryBytes,
            disk: rootUsed(of: node), maxdisk: node.rootBytes, uptime: Signal.uptime(node.key, at: time))
    }

    private func status(of node: EstateLayout.Node) -> PVEReply.NodeStatus {
        let cpu = cpu(of: node)
        let used = memoryUsed(of: node)
        let load = cpu * Double(node.cores)
        let swapTotal: UInt64 = 8 << 30
        let swapUsed = Self.fraction(Double(swapTotal), Signal.unit(node.key, 63) * 0.1)
        let root = rootUsed(of: node)
        return PVEReply.NodeStatus(
            cpu: cpu, loadavg: [load, load * 0.95, load * 0.9].map { String(format: "%.2f", $0) },
            memory: .init(total: node.memoryBytes, used: used, free: (node.memoryBytes - used) / 2, available: node.memoryBytes - used),
            swap: .init(total: swapTotal, used: swapUsed, free: swapTotal - swapUsed),
            rootfs: .init(total: node.rootBytes, used: root, free: node.rootBytes - root),
            uptime: Signal.uptime(node.key, at: time),
            kversion: "Linux 6.8.12-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z) x86_64",
            currentKernel: .init(release: "6.8.12-4-pve"), pveversion: "pve-manager/8.3.0/c1689ccb1065a83b",
            cpuinfo: .init(
                model: node.cpuModel, cores: node.cores / node.sockets, sockets: node.sockets, cpus: node.cores,
                mhz: String(format: "%.3f", 2400 + Signal.unit(node.key, 64) * 800)))
    }

    // MARK: Storage

    static let backupStorage = "backup-nfs"

    private var storageConfiguration: [PVEReply.StorageConfig] {
        [
            .init(storage: "local", type: "dir"), .init(storage: "local-zfs", type: "zfspool", pool: "rpool/data"),
            .init(storage: Self.backupStorage, type: "nfs"),
        ]
    }

    private func zfsSize(of node: EstateLayout.Node) -> UInt64 { Signal.pick([1, 2, 4], node.key, 65) << 40 }

    private func zfsUsed(of node: EstateLayout.Node) -> UInt64 {
        let share =
            node.storageFull
            ? signal.wave(node.key ^ 2, at: time, base: 0.91, swing: 0.005) : wave(node.key, 66, base: 0.25, spread: 0.4, swing: 0.002)
        return Self.fraction(Double(zfsSize(of: node)), share)
    }

    private func storage(of node: EstateLayout.Node) -> [PVEReply.Storage] {
        let root = rootUsed(of: node)
        let zfsTotal = zfsSize(of: node)
        let zfsUsed = zfsUsed(of: node)
        let backupTotal: UInt64 = 20 << 40
        let backupUsed = Self.fraction(Double(backupTotal), wave(cluster.key, 67, base: 0.35, spread: 0.3, swing: 0.001))
        return [
            .init(
                storage: "local", type: "dir", content: "iso,vztmpl,backup", shared: 0, total: node.rootBytes, used: root,
                avail: node.rootBytes - root),
            .init(
                storage: "local-zfs", type: "zfspool", content: "images,rootdir", shared: 0, total: zfsTotal, used: zfsUsed, avail: zfsTotal - zfsUsed
            ),
            .init(
                storage: Self.backupStorage, type: "nfs", content: "backup", shared: 1, total: backupTotal, used: backupUsed,
                avail: backupTotal - backupUsed),
        ]
    }

    private func zfsPool(of node: EstateLayout.Node) -> PVEReply.ZFSPool {
        let size = zfsSize(of: node)
        let alloc = zfsUsed(of: node)
        return PVEReply.ZFSPool(
            name: "rpool", size: size, alloc: alloc, free: size - alloc, frag: Int(Signal.unit(node.key, 68) * 30), dedup: 1, health: "ONLINE")
    }

    private func disks(of node: EstateLayout.Node) -> [PVEReply.Disk] {
        let serial = Signal.hex(node.key & 0xFFFF_FFFF, width: 8)
        var disks = (0..<2).map { index in
            PVEReply.Disk(
                devpath: "/dev/nvme\(index)n1", model: Signal.pick(["Samsung SSD 990 PRO 2TB", "KINGSTON SEDC1500M1920G"], node.key, 69),
                serial: "S\(serial)\(index)", wwn: "eui.0025388b\(serial)\(index)", type: "nvme", size: 2_000_398_934_016, health: "PASSED",
                wearout: 100 - Int(Signal.unit(node.key, 70 &+ UInt64(index)) * 12), used: "ZFS")
        }
        if Signal.unit(node.key, 71) < 0.5 {
            disks += (0..<2).map { index in
                PVEReply.Disk(
                    devpath: "/dev/sd\(index == 0 ? "a" : "b")", model: "ST8000NM000A-2KE101", serial: "ZA\(serial)\(index)",
                    wwn: "0x5000c500\(serial)\(index)", type: "hdd", size: 8_001_563_222_016, health: "PASSED", wearout: nil, rpm: 7200,
                    used: "LVM")
            }
        }
        return disks
    }

    // MARK: Backups

    /// Each guest's backup of last night, on the shared backup storage.
    private var backups: [PVEReply.StorageContent] {
        let night = Self.lastNight(before: time)
        let stamp = Self.volumeStamp(night)
        return cluster.guests.map { guest in
            let kind = guest.type == "lxc" ? "lxc" : "qemu"
            let format = guest.type == "lxc" ? "tar.zst" : "vma.zst"
            let created = night.addingTimeInterval(Double(guest.vmid % 600) * 6)
            return PVEReply.StorageContent(
                volid: "\(Self.backupStorage):backup/vzdump-\(kind)-\(guest.vmid)-\(stamp).\(format)", format: format,
                size: Self.fraction(Double(guest.diskBytes), 0.1 + Signal.unit(guest.key, 72) * 0.3),
                ctime: Int64(created.timeIntervalSince1970), vmid: guest.vmid, notes: guest.name, protected: guest.vmid % 10 == 0 ? 1 : nil)
        }
    }

    /// Last night's backup job of each guest on `node`.
    private func backupTasks(on node: EstateLayout.Node) -> [PVEReply.Task] {
        let night = Self.lastNight(before: time)
        return cluster.guests.filter { $0.node == node.name }.prefix(100).map { guest in
            let start = Int64(night.timeIntervalSince1970) + Int64(guest.vmid % 600) * 6
            let upid =
                "UPID:\(node.name):\(Signal.hex(UInt64(guest.vmid * 97), width: 8)):\(Signal.hex(UInt64(guest.vmid * 31), width: 8)):"
                + "\(Signal.hex(UInt64(start), width: 8)):vzdump:\(guest.vmid):root@pam:"
            return PVEReply.Task(
                upid: upid, node: node.name, id: String(guest.vmid), status: "OK", starttime: start, endtime: start + 40 + Int64(guest.vmid % 50))
        }
    }

    private func snapshots(of guest: EstateLayout.Guest) -> [PVEReply.Snapshot] {
        let current = PVEReply.Snapshot(name: "current", description: "You are here!", parent: guest.hasSnapshot ? "before-upgrade" : nil)
        guard guest.hasSnapshot else { return [current] }
        let taken = Int64(Self.lastNight(before: time).timeIntervalSince1970) - 3 * 86_400
        return [PVEReply.Snapshot(name: "before-upgrade", snaptime: taken, description: "Before the upgrade", vmstate: 0), current]
    }

    // MARK: Guest agent

    private func osInfo(of guest: EstateLayout.Guest) -> PVEReply.OSInfo {
        let windows = guest.osName.contains("Windows")
        let version = guest.osName.split(separator: " ").first { $0.first?.isNumber == true }.map(String.init) ?? ""
        return PVEReply.OSInfo(
            id: windows ? "mswindows" : guest.osName.split(separator: " ").first.map { $0.lowercased() } ?? "linux",
            name: windows ? "Microsoft Windows" : String(guest.osName.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces),
            prettyName: guest.osName, version: version, versionID: String(version.prefix { $0 != "." }),
            kernelRelease: windows ? "20348" : "6.1.0-27-amd64")
    }

    private func interfaces(of guest: EstateLayout.Guest) -> [PVEReply.Interface] {
        let octets = (guest.vmid / 250 % 250, guest.vmid % 250)
        let mac = "BC:24:11:" + [guest.key, guest.key >> 8, guest.key >> 16].map { Signal.hex($0 & 0xFF, width: 2) }.joined(separator: ":")
        return [
            .init(name: "lo", hardwareAddress: "00:00:00:00:00:00", ipAddresses: [.init(ipAddress: "127.0.0.1", ipAddressType: "ipv4", prefix: 8)]),
            .init(
                name: "eth0", hardwareAddress: mac,
                ipAddresses: [
                    .init(ipAddress: "10.\(100 + octets.0 % 100).\(octets.1).\(10 + Int(guest.key % 200))", ipAddressType: "ipv4", prefix: 24)
                ]),
        ]
    }

    private func filesystems(of guest: EstateLayout.Guest) -> [PVEReply.Filesystem] {
        let total = guest.diskBytes - guest.diskBytes / 20
        let used = Self.fraction(Double(total), wave(guest.key, 73, base: 0.2, spread: 0.6, swing: 0.002))
        if guest.osName.contains("Windows") {
            return [.init(name: "C:\\", mountpoint: "C:\\", type: "NTFS", usedBytes: used, totalBytes: total)]
        }
        return [.init(name: "sda1", mountpoint: "/", type: "ext4", usedBytes: used, totalBytes: total)]
    }

    // MARK: Helpers

    /// A reading around the key's own base (`base` plus up to `spread`).
    private func wave(_ key: UInt64, _ salt: UInt64, base: Double, spread: Double, swing: Double) -> Double {
        signal.wave(key ^ salt, at: time, base: base + Signal.unit(key, salt) * spread, swing: swing)
    }

    /// A byte counter growing at a rate of the key's own between `low` and `high` per second.
    private func counter(_ key: UInt64, _ low: Double, _ high: Double) -> UInt64 {
        signal.counter(key, at: time, rate: low + Signal.unit(key, 74) * (high - low))
    }

    static func fraction(_ total: Double, _ share: Double) -> UInt64 { UInt64(max(0, min(1, share)) * total) }

    /// 01:00 UTC of the night before `time`, when the nightly backups start.
    static func lastNight(before time: Date) -> Date {
        let day = (time.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let night = Date(timeIntervalSince1970: day + 3_600)
        return night < time ? night : night.addingTimeInterval(-86_400)
    }

    /// `2026_01_31-01_00_00`, as vzdump names its files.
    static func volumeStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let two = { (value: Int?) in EstateLayout.padded(value ?? 0, 2) }
        return "\(EstateLayout.padded(c.year ?? 0, 4))_\(two(c.month))_\(two(c.day))-\(two(c.hour))_\(two(c.minute))_\(two(c.second))"
    }
}

import AgentProtocol
package import Foundation

extension StateSnapshot {
    /// The snapshot as alert rules read it: one reading per monitored resource.
    ///
    /// Left out because nothing about them can alert: guest templates, storage that is disabled,
    /// inactive or empty, and Docker hosts and Kubernetes clusters the user hid.
    package func readings() -> [ResourceReading] {
        var readings: [ResourceReading] = []
        readings.reserveCapacity(nodes.count + vms.count + containers.count + hosts.count + dockerHosts.count + storage.count)
        readings += nodes.map(Self.reading(node:))
        let backups = newestBackups()
        readings += (vms + containers).lazy.filter { !$0.template }.map { Self.reading(guest: $0, newestBackup: backups[$0.vmid]) }
        readings += hosts.map(Self.reading(host:))
        readings += dockerHosts.lazy.filter { !$0.hidden }.map(Self.reading(dockerHost:))
        readings += storage.lazy.filter { $0.enabled && $0.active && $0.total > 0 }.map(Self.reading(storage:))
        readings += pbs.map { ResourceReading(kind: .pbs, id: $0.id, name: $0.name, status: $0.status) }
        readings += pmg.map { ResourceReading(kind: .pmg, id: $0.id, name: $0.name, status: $0.status) }
        readings += kubernetesClusters.lazy.filter { !$0.hidden }.map {
            ResourceReading(kind: .kubernetesCluster, id: $0.id, name: $0.displayName, status: $0.status)
        }
        return readings
    }

    /// The newest backup time per VMID, on PVE storage or PBS.
    private func newestBackups() -> [Int: Date] {
        var newest: [Int: Date] = [:]
        for backup in pveBackups.storageBackups { newest[backup.vmid] = max(newest[backup.vmid] ?? .distantPast, backup.time) }
        for backup in pbsBackups {
            guard let vmid = Int(backup.vmid) else { continue }
            newest[vmid] = max(newest[vmid] ?? .distantPast, backup.backupTime)
        }
        return newest
    }

    private static let megabyte = 1_048_576.0

    private static func reading(node: NodeView) -> ResourceReading {
        var reading = ResourceReading(kind: .node, id: node.id, name: node.displayName, status: node.status)
        reading.node = node.node
        reading.instance = node.instance
        reading.values[.cpu] = node.cpu * 100
        reading.values[.memory] = node.memory?.usage
        reading.values[.disk] = node.disk?.usage
        reading.values[.temperature] = node.cpuTemperature
        return reading
    }

    private static func reading(guest: GuestView, newestBackup: Date?) -> ResourceReading {
        var reading = ResourceReading(
            kind: guest.resourceType == "container" ? .container : .vm, id: guest.id, name: guest.name, status: guest.status)
        reading.node = guest.node
        reading.instance = guest.instance
        reading.vmid = guest.vmid
        reading.newestBackup = newestBackup
        reading.values[.cpu] = guest.cpu * 100
        reading.values[.memory] = guest.memory?.usage
        if let disk = guest.disk, disk.total > 0 { reading.values[.disk] = disk.usage }
        reading.values[.diskRead] = guest.diskRead / megabyte
        reading.values[.diskWrite] = guest.diskWrite / megabyte
        reading.values[.networkIn] = guest.networkIn / megabyte
        reading.values[.networkOut] = guest.networkOut / megabyte
        return reading
    }

    private static func reading(storage: StorageView) -> ResourceReading {
        var reading = ResourceReading(kind: .storage, id: storage.id, name: storage.name, status: "online")
        reading.node = storage.node
        reading.instance = storage.instance
        reading.values[.usage] = storage.usage
        return reading
    }

    private static func reading(host: HostView) -> ResourceReading {
        var reading = ResourceReading(kind: .host, id: "host:\(host.id)", recordID: host.id, name: host.displayName, status: host.status)
        reading.node = host.hostname
        reading.values[.cpu] = host.cpuUsage
        reading.values[.memory] = host.memory?.usage
        reading.values[.disk] = host.disks?.map(\.usage).max()
        reading.values[.temperature] = host.cpuTemperature
        reading.raid = host.raid ?? []
        reading.disks = host.sensors?.smart ?? []
        return reading
    }

    private static func reading(dockerHost host: DockerHostView) -> ResourceReading {
        var reading = ResourceReading(
            kind: .dockerHost, id: "docker:\(host.id)", recordID: host.id, name: host.displayName, status: host.status)
        reading.node = host.hostname
        reading.containers = host.containers.map {
            ContainerReading(
                id: $0.id, name: $0.bareName, state: $0.state, health: $0.health, exitCode: $0.exitCode, restartCount: $0.restartCount,
                cpuPercent: $0.cpuPercent, memoryPercent: $0.memoryPercent, memoryUsageBytes: $0.memoryUsageBytes,
                memoryLimitBytes: $0.memoryLimitBytes, updateAvailable: $0.updateStatus?.updateAvailable == true)
        }
        return reading
    }
}

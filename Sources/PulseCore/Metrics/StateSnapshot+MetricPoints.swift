import AgentProtocol
import Foundation

extension StateSnapshot {
    /// What the history keeps of this state: per resource, the gauges worth charting. Proxmox
    /// CPU ratios become percentages; rates stay in bytes per second.
    package func metricPoints(at timestamp: Int64) -> [MetricPoint] {
        var points: [MetricPoint] = []
        func add(_ type: String, _ id: String, _ metric: String, _ value: Double?) {
            guard let value, value.isFinite else { return }
            points.append(MetricPoint(series: SeriesKey(resourceType: type, resourceId: id, metric: metric), timestamp: timestamp, value: value))
        }
        for node in nodes where node.status == "online" {
            add("node", node.id, "cpu", node.cpu * 100)
            add("node", node.id, "memory", node.memory?.usage)
            add("node", node.id, "disk", node.disk?.usage)
            add("node", node.id, "temperature", node.cpuTemperature)
        }
        for guest in vms + containers where guest.status == "running" {
            let type = guest.resourceType
            add(type, guest.id, "cpu", guest.cpu * 100)
            add(type, guest.id, "memory", guest.memory?.usage)
            if let disk = guest.disk, disk.total > 0 { add(type, guest.id, "disk", disk.usage) }
            add(type, guest.id, "diskread", guest.diskRead)
            add(type, guest.id, "diskwrite", guest.diskWrite)
            add(type, guest.id, "netin", guest.networkIn)
            add(type, guest.id, "netout", guest.networkOut)
        }
        for host in hosts where host.status == "online" {
            add("host", host.id, "cpu", host.cpuUsage)
            add("host", host.id, "memory", host.memory?.usage)
            add("host", host.id, "disk", host.disks?.map(\.usage).max())
            add("host", host.id, "temperature", host.cpuTemperature)
            for disk in host.sensors?.smart ?? [] where disk.standby != true && disk.temperature > 0 {
                add("disk", "host:\(host.id)/\(disk.deviceName)", "temperature", Double(disk.temperature))
            }
        }
        for dockerHost in dockerHosts where dockerHost.status == "online" && !dockerHost.hidden {
            add("dockerHost", dockerHost.id, "cpu", dockerHost.cpuUsagePercent)
            add("dockerHost", dockerHost.id, "memory", dockerHost.memory?.usage)
            for container in dockerHost.containers where container.state == "running" {
                let id = "\(dockerHost.id)/\(container.id)"
                add("dockerContainer", id, "cpu", container.cpuPercent)
                add("dockerContainer", id, "memory", container.memoryPercent)
            }
        }
        for storage in storage where storage.total > 0 && storage.active {
            add("storage", storage.id, "usage", storage.usage)
        }
        for disk in physicalDisks where disk.temperature > 0 {
            add("disk", disk.id, "temperature", Double(disk.temperature))
        }
        return points
    }
}

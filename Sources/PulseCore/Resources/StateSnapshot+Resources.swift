import AgentProtocol
import Foundation
import PulseSupport

extension StateSnapshot {
    /// Every monitored resource in one list, in a stable order: Proxmox nodes, VMs, LXC containers,
    /// hosts, Docker hosts each followed by their containers, Kubernetes clusters each followed by
    /// their nodes, pods and deployments, PBS, PMG, storage. Each carries its active alerts.
    package func resources() -> [Resource] {
        let seen = Date(timeIntervalSince1970: Double(lastUpdate) / 1000)
        var list: [Resource] = []
        list.reserveCapacity(nodes.count + vms.count + containers.count + hosts.count + storage.count)
        list += nodes.map(Resource.init(node:))
        list += (vms + containers).map(Resource.init(guest:))
        list += hosts.map(Resource.init(host:))
        for host in dockerHosts {
            list.append(Resource(dockerHost: host))
            list += host.containers.map { Resource(container: $0, on: host) }
        }
        for cluster in kubernetesClusters {
            list.append(Resource(cluster: cluster))
            list += (cluster.nodes ?? []).map { Resource(node: $0, in: cluster) }
            list += (cluster.pods ?? []).map { Resource(pod: $0, in: cluster) }
            list += (cluster.deployments ?? []).map { Resource(deployment: $0, in: cluster) }
        }
        list += pbs.map(Resource.init(pbs:))
        list += pmg.map(Resource.init(pmg:))
        list += storage.map { Resource(storage: $0, seen: seen) }
        return attachingAlerts(to: list)
    }

    /// Alerts name host and Docker resources `host:<id>` and `docker:<id>`; resources use the bare ID.
    private func attachingAlerts(to list: [Resource]) -> [Resource] {
        guard !activeAlerts.isEmpty else { return list }
        var byResource: [String: [ResourceAlert]] = [:]
        for alert in activeAlerts {
            var key = alert.resourceId
            for prefix in ["host:", "docker:"] where key.hasPrefix(prefix) { key.removeFirst(prefix.count) }
            byResource[key, default: []].append(
                ResourceAlert(
                    id: alert.id, type: alert.type, level: alert.level.rawValue, message: alert.message, value: alert.value,
                    threshold: alert.threshold, startTime: alert.startTime))
        }
        return list.map { resource in
            var resource = resource
            resource.alerts = byResource[resource.id]
            return resource
        }
    }
}

extension Resource {
    fileprivate init(
        id: String, type: Kind, name: String, displayName: String? = nil, platformId: String, platformType: Platform, sourceType: Source,
        status: Status, lastSeen: Date
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 } ?? name
        self.platformId = platformId
        self.platformType = platformType
        self.sourceType = sourceType
        self.status = status
        self.lastSeen = lastSeen
    }

    fileprivate init(node: NodeView) {
        self.init(
            id: node.id, type: .node, name: node.name, displayName: node.displayName, platformId: node.instance, platformType: .proxmoxPVE,
            sourceType: .api, status: Status(online: node.status), lastSeen: .init(unixMillis: node.lastSeen))
        if node.isClusterMember, let cluster = node.clusterName, !cluster.isEmpty { clusterId = "pve-cluster/\(cluster)" }
        cpu = MetricValue(current: node.cpu * 100)
        memory = node.memory.map(MetricValue.init)
        disk = node.disk.map(MetricValue.init)
        temperature = node.cpuTemperature
        uptime = node.uptime
        identity = Identity(hostname: node.name)
    }

    fileprivate init(guest: GuestView) {
        let status: Status =
            switch guest.status.lowercased() {
            case "running": .running
            case "stopped": .stopped
            case "paused": .paused
            default: .unknown
            }
        self.init(
            id: guest.id, type: guest.resourceType == "container" ? .container : .vm, name: guest.name, platformId: guest.instance,
            platformType: .proxmoxPVE, sourceType: .api, status: status, lastSeen: .init(unixMillis: guest.lastSeen))
        parentId = "\(guest.instance)-\(guest.node)"
        cpu = MetricValue(current: guest.cpu * 100)
        memory = guest.memory.map(MetricValue.init)
        disk = guest.disk.map(MetricValue.init)
        // Proxmox guests carry rates (bytes per second), as Pulse's do in these fields.
        network = NetworkMetric(rxBytes: Int64(rate: guest.networkIn), txBytes: Int64(rate: guest.networkOut))
        uptime = guest.uptime
        tags = guest.tags.map { $0.split(separator: ",").map(String.init) }
    }

    fileprivate init(host: HostView) {
        let status: Status =
            switch host.status {
            case "online": .online
            case "offline": .offline
            case "degraded": .degraded
            default: .unknown
            }
        self.init(
            id: host.id, type: .host, name: host.hostname, displayName: host.displayName, platformId: "host-agent", platformType: .hostAgent,
            sourceType: .agent, status: status, lastSeen: .init(unixMillis: host.lastSeen))
        cpu = host.cpuUsage.map { MetricValue(current: $0) }
        memory = host.memory.map(MetricValue.init)
        disk = MetricValue(summing: host.disks ?? [])
        network = NetworkMetric(summing: host.networkInterfaces ?? [])
        temperature = host.cpuTemperature
        uptime = host.uptimeSeconds
        tags = host.tags
        identity = Identity(hostname: host.hostname, machineId: host.machineId, ips: host.networkInterfaces?.addresses)
    }

    fileprivate init(dockerHost host: DockerHostView) {
        self.init(
            id: host.id, type: .dockerHost, name: host.hostname, displayName: host.displayName, platformId: host.agentId,
            platformType: .docker, sourceType: .agent, status: Status(online: host.status), lastSeen: .init(unixMillis: host.lastSeen))
        if let swarm = host.swarm?.clusterId, !swarm.isEmpty { clusterId = "docker-swarm/\(swarm)" }
        cpu = MetricValue(current: host.cpuUsagePercent)
        memory = host.memory.map(MetricValue.init)
        disk = MetricValue(summing: host.disks ?? [])
        network = NetworkMetric(summing: host.networkInterfaces ?? [])
        uptime = host.uptimeSeconds
        identity = Identity(hostname: host.hostname, machineId: host.machineId, ips: host.networkInterfaces?.addresses)
    }

    fileprivate init(container: ContainerView, on host: DockerHostView) {
        let status: Status =
            switch container.state.lowercased() {
            case "running": .running
            case "exited", "dead": .stopped
            case "paused": .paused
            default: .unknown
            }
        self.init(
            id: "\(host.id)/\(container.id)", type: .dockerContainer, name: container.bareName, platformId: host.id, platformType: .docker,
            sourceType: .agent, status: status, lastSeen: .init(unixMillis: host.lastSeen))
        parentId = host.id
        cpu = MetricValue(current: container.cpuPercent)
        if container.memoryLimitBytes > 0 {
            memory = MetricValue(current: container.memoryPercent, total: container.memoryLimitBytes, used: container.memoryUsageBytes)
        }
        uptime = container.uptimeSeconds
        labels = container.labels
    }

    fileprivate init(cluster: KubernetesClusterView) {
        self.init(
            id: cluster.id, type: .k8sCluster, name: cluster.name.flatMap { $0.isEmpty ? nil : $0 } ?? cluster.displayName,
            displayName: cluster.displayName, platformId: cluster.agentId, platformType: .kubernetes, sourceType: .agent,
            status: Status(online: cluster.status), lastSeen: .init(unixMillis: cluster.lastSeen))
    }

    fileprivate init(node: KubernetesClusterView.NodeView, in cluster: KubernetesClusterView) {
        var status: Status = node.ready ? .online : .offline
        if node.unschedulable && status == .online { status = .degraded }
        self.init(
            id: "\(cluster.id)/node/\(node.uid.isEmpty ? node.name : node.uid)", type: .k8sNode, name: node.name, platformId: cluster.id,
            platformType: .kubernetes, sourceType: .agent, status: status, lastSeen: .init(unixMillis: cluster.lastSeen))
        parentId = cluster.id
        clusterId = cluster.id
    }

    fileprivate init(pod: KubernetesClusterView.PodView, in cluster: KubernetesClusterView) {
        let status: Status =
            switch (pod.phase ?? "").lowercased() {
            case "running": .running
            case "succeeded", "failed": .stopped
            default: .unknown
            }
        self.init(
            id: "\(cluster.id)/pod/\(pod.uid.isEmpty ? "\(pod.namespace)/\(pod.name)" : pod.uid)", type: .pod, name: pod.name,
            platformId: cluster.id, platformType: .kubernetes, sourceType: .agent, status: status,
            lastSeen: .init(unixMillis: cluster.lastSeen))
        // Pods name their node by name; node resources are keyed by UID when there is one.
        let nodeKey = pod.nodeName.flatMap { name in (cluster.nodes ?? []).first { $0.name == name }.map { $0.uid.isEmpty ? name : $0.uid } ?? name }
        parentId = nodeKey.map { "\(cluster.id)/node/\($0)" } ?? cluster.id
        clusterId = cluster.id
        labels = pod.labels
    }

    fileprivate init(deployment: KubernetesDeployment, in cluster: KubernetesClusterView) {
        let desired = deployment.desiredReplicas ?? 0
        let available = deployment.availableReplicas ?? 0
        let status: Status =
            if desired == 0 { .stopped } else if available >= desired { .running } else if available > 0 { .degraded } else { .unknown }
        let key = deployment.uid.isEmpty ? "\(deployment.namespace)/\(deployment.name)" : deployment.uid
        self.init(
            id: "\(cluster.id)/deployment/\(key)", type: .k8sDeployment, name: deployment.name, platformId: cluster.id,
            platformType: .kubernetes, sourceType: .agent, status: status, lastSeen: .init(unixMillis: cluster.lastSeen))
        parentId = cluster.id
        clusterId = cluster.id
        labels = deployment.labels
    }

    fileprivate init(pbs: PBSInstanceView) {
        self.init(
            id: pbs.id, type: .pbs, name: pbs.name, platformId: pbs.host, platformType: .proxmoxPBS, sourceType: .api,
            status: Status(server: pbs.status, health: pbs.connectionHealth), lastSeen: pbs.lastSeen)
        cpu = MetricValue(current: pbs.cpu)
        if pbs.memoryTotal > 0 {
            memory = MetricValue(current: pbs.memory, total: Int64(clamping: pbs.memoryTotal), used: Int64(clamping: pbs.memoryUsed))
        }
        uptime = pbs.uptime
    }

    fileprivate init(pmg: PMGInstanceView) {
        self.init(
            id: pmg.id, type: .pmg, name: pmg.name, platformId: pmg.host, platformType: .proxmoxPMG, sourceType: .api,
            status: Status(server: pmg.status, health: pmg.connectionHealth), lastSeen: pmg.lastSeen)
    }

    fileprivate init(storage: StorageView, seen: Date) {
        let status: Status = !storage.active ? .offline : !storage.enabled ? .stopped : .online
        self.init(
            id: storage.id, type: .storage, name: storage.name, platformId: storage.instance, platformType: .proxmoxPVE, sourceType: .api,
            status: status, lastSeen: seen)
        parentId = "\(storage.instance)-\(storage.node)"
        if storage.total > 0 {
            disk = MetricValue(
                current: storage.usage, total: Int64(clamping: storage.total), used: Int64(clamping: storage.used),
                free: Int64(clamping: storage.free))
        }
    }
}

extension Resource.Status {
    /// Proxmox nodes, Docker hosts and Kubernetes clusters: `online` or `offline`.
    fileprivate init(online status: String) {
        switch status.lowercased() {
        case "online": self = .online
        case "offline": self = .offline
        default: self = .unknown
        }
    }

    /// PBS and PMG: degraded while the connection is not healthy.
    fileprivate init(server status: String, health: String) {
        guard health == "healthy" else {
            self = .degraded
            return
        }
        self.init(online: status)
    }
}

extension Resource.MetricValue {
    fileprivate init(_ memory: MemoryView) {
        self.init(current: memory.usage, total: memory.total, used: memory.used, free: memory.free)
    }

    /// The filesystems together; nil when none has a size.
    fileprivate init?(summing disks: [DiskView]) {
        let total = disks.reduce(Int64(0)) { $0.addingReportingOverflow($1.total).partialValue }
        guard total > 0 else { return nil }
        let used = disks.reduce(Int64(0)) { $0.addingReportingOverflow($1.used).partialValue }
        let free = disks.reduce(Int64(0)) { $0.addingReportingOverflow($1.free).partialValue }
        self.init(current: Double(used) / Double(total) * 100, total: total, used: used, free: free)
    }
}

extension Resource.NetworkMetric {
    /// Cumulative counters of every interface together.
    fileprivate init(summing interfaces: [NetworkInterfaceView]) {
        let rx = interfaces.reduce(UInt64(0)) { $0.addingReportingOverflow($1.rxBytes ?? 0).partialValue }
        let tx = interfaces.reduce(UInt64(0)) { $0.addingReportingOverflow($1.txBytes ?? 0).partialValue }
        self.init(rxBytes: Int64(clamping: rx), txBytes: Int64(clamping: tx))
    }
}

extension [NetworkInterfaceView] {
    fileprivate var addresses: [String]? { flatMap { $0.addresses ?? [] }.nonEmpty }
}

extension Int64 {
    fileprivate init(rate: Double) { self = rate.isFinite ? Int64(Swift.min(Swift.max(rate, 0), 9e18)) : 0 }
}

extension Date {
    fileprivate init(unixMillis: Int64) { self.init(timeIntervalSince1970: Double(unixMillis) / 1000) }
}

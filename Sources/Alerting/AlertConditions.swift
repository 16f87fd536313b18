import AgentProtocol
package import Foundation
package import PulseCore

/// Builds the conditions of one evaluation from the merged state: everything resource-specific
/// about alerting (which metrics, whose thresholds, which rules) lives here.
package struct AlertConditions {
    package let configuration: AlertConfiguration
    package let now: Date
    package var memory: RuleMemory
    private(set) var conditions: [AlertCondition] = []
    private var restartKeys: Set<String> = []
    private var diskKeys: Set<String> = []

    package init(configuration: AlertConfiguration, memory: RuleMemory, now: Date) {
        self.configuration = configuration
        self.memory = memory
        self.now = now
    }

    /// The conditions for `snapshot`, and the updated rule memory.
    package static func build(from snapshot: StateSnapshot, configuration: AlertConfiguration, memory: RuleMemory, at now: Date)
        -> (conditions: [AlertCondition], memory: RuleMemory)
    {
        var builder = AlertConditions(configuration: configuration, memory: memory, now: now)
        guard configuration.enabled else { return ([], memory) }
        snapshot.nodes.forEach { builder.add(node: $0) }
        (snapshot.vms + snapshot.containers).forEach { builder.add(guest: $0) }
        snapshot.hosts.forEach { builder.add(host: $0) }
        snapshot.dockerHosts.forEach { builder.add(dockerHost: $0) }
        snapshot.storage.forEach { builder.add(storage: $0) }
        snapshot.pbs.forEach {
            builder.addOffline(
                AlertResource(id: $0.id, name: $0.name, type: "pbs"), prefix: "pbs", status: $0.status, allOff: configuration.disableAllPBSOffline)
        }
        snapshot.pmg.forEach {
            builder.addOffline(
                AlertResource(id: $0.id, name: $0.name, type: "pmg"), prefix: "pmg", status: $0.status, allOff: configuration.disableAllPMGOffline)
        }
        for cluster in snapshot.kubernetesClusters where !cluster.hidden {
            builder.addOffline(
                AlertResource(id: cluster.id, name: cluster.displayName, type: "kubernetesCluster"), prefix: "kubernetes-cluster",
                status: cluster.status, allOff: configuration.disableAllKubernetesClusters || configuration.disableAllKubernetesClustersOffline)
        }
        builder.addBackupAges(snapshot)
        builder.memory.keep(restartKeys: builder.restartKeys, diskKeys: builder.diskKeys)
        return (builder.conditions, builder.memory)
    }

    // MARK: Proxmox

    private mutating func add(node: NodeView) {
        let resource = AlertResource(id: node.id, name: node.displayName, type: "node", node: node.node, instance: node.instance)
        guard !configuration.disableAllNodes, let thresholds = thresholds(resource.id, configuration.nodeDefaults) else { return }
        addOffline(resource, prefix: "node", status: node.status, allOff: configuration.disableAllNodesOffline, thresholds: thresholds)
        guard node.status == "online" else { return }
        addThreshold(resource, .cpu, node.cpu * 100, thresholds, kind: "node")
        addThreshold(resource, .memory, node.memory?.usage, thresholds, kind: "node")
        addThreshold(resource, .disk, node.disk?.usage, thresholds, kind: "node")
        addThreshold(resource, .temperature, node.cpuTemperature, thresholds, kind: "node")
    }

    private mutating func add(guest: GuestView) {
        let resource = AlertResource(id: guest.id, name: guest.name, type: guest.resourceType, node: guest.node, instance: guest.instance)
        guard !configuration.disableAllGuests, !guest.template, let thresholds = thresholds(resource.id, configuration.guestDefaults)
        else { return }
        if guest.status == "stopped", let severity = thresholds.poweredOffSeverity, !configuration.disableAllGuestsOffline {
            add(
                rule: "guest-powered-off-\(guest.id)", type: "powered-off", resource, level: severity,
                message: "\(resource.typeLabel) \(guest.name) is powered off")
        }
        guard guest.status == "running" else { return }
        let megabyte = 1_048_576.0
        addThreshold(resource, .cpu, guest.cpu * 100, thresholds, kind: "guest")
        addThreshold(resource, .memory, guest.memory?.usage, thresholds, kind: "guest")
        if let disk = guest.disk, disk.total > 0 { addThreshold(resource, .disk, disk.usage, thresholds, kind: "guest") }
        addThreshold(resource, .diskRead, guest.diskRead / megabyte, thresholds, kind: "guest")
        addThreshold(resource, .diskWrite, guest.diskWrite / megabyte, thresholds, kind: "guest")
        addThreshold(resource, .networkIn, guest.networkIn / megabyte, thresholds, kind: "guest")
        addThreshold(resource, .networkOut, guest.networkOut / megabyte, thresholds, kind: "guest")
    }

    private mutating func add(storage: StorageView) {
        let resource = AlertResource(id: storage.id, name: storage.name, type: "storage", node: storage.node, instance: storage.instance)
        let defaults = ThresholdConfig(usage: configuration.storageDefault)
        guard !configuration.disableAllStorage, storage.enabled, storage.active, storage.total > 0,
            let thresholds = thresholds(resource.id, defaults)
        else { return }
        addThreshold(resource, .usage, storage.usage, thresholds, kind: "storage")
    }

    // MARK: Agents

    private mutating func add(host: HostView) {
        let resource = AlertResource(id: "host:\(host.id)", name: host.displayName, type: "host", node: host.hostname)
        guard !configuration.disableAllHosts, let thresholds = thresholds(resource.id, configuration.hostDefaults) else { return }
        addOffline(
            resource, prefix: "host", status: host.status, allOff: configuration.disableAllHostsOffline, thresholds: thresholds, offlineID: host.id)
        guard host.status == "online" else { return }
        addThreshold(resource, .cpu, host.cpuUsage, thresholds, kind: "host")
        addThreshold(resource, .memory, host.memory?.usage, thresholds, kind: "host")
        addThreshold(resource, .disk, host.disks?.map(\.usage).max(), thresholds, kind: "host")
        addThreshold(resource, .temperature, host.cpuTemperature, thresholds, kind: "host")
        for array in host.raid ?? [] { add(raid: array, host: host, resource: resource) }
        for disk in host.sensors?.smart ?? [] { add(smart: disk, host: host, resource: resource) }
    }

    private mutating func add(raid array: RAIDArray, host: HostView, resource: AlertResource) {
        let state = array.state.lowercased()
        let failed = array.failedDevices > 0 || state.contains("fail") || state.contains("inactive")
        let degraded = failed || state.contains("degraded") || array.activeDevices < array.totalDevices
        let rebuilding = state.contains("recover") || state.contains("resync") || state.contains("rebuild")
        let device = array.device.split(separator: "/").last.map(String.init) ?? array.device
        let level: AlertLevel = degraded && !rebuilding ? .critical : .warning
        add(
            rule: "host-\(host.id)-raid-\(device)", type: "raid", resource, holds: degraded || rebuilding, level: level,
            value: Double(array.activeDevices), threshold: Double(array.totalDevices),
            message: "RAID \(device) on \(host.displayName) is \(array.state) (\(array.activeDevices)/\(array.totalDevices) devices active)",
            details: ["device": device, "state": array.state])
    }

    private mutating func add(smart disk: SMARTDisk, host: HostView, resource: AlertResource) {
        let device = disk.deviceName
        let key = "\(host.id)/\(disk.serial ?? device)"
        diskKeys.insert(key)
        if disk.standby == true { return }
        let health = (disk.health ?? "").uppercased()
        add(
            rule: "host-\(host.id)-smart-\(device)", type: "smart", resource, holds: health == "FAILED", level: .critical,
            message: "SMART health of \(device) on \(host.displayName) is FAILED", details: ["device": device, "model": disk.model ?? ""])
        let sectors = RuleMemory.sectorCount(disk.attributes)
        let rise = memory.sectorRise(key, count: sectors)
        add(
            rule: "host-\(host.id)-smart-sectors-\(device)", type: "smart-sectors", resource, holds: rise > 0, level: .warning,
            value: Double(sectors), threshold: Double(sectors - rise),
            message: "\(device) on \(host.displayName): reallocated/pending sectors rose by \(rise) to \(sectors)",
            details: ["device": device, RuleMemory.baselineKeyDetail: key])
    }

    private mutating func add(dockerHost host: DockerHostView) {
        guard !host.hidden else { return }
        let resource = AlertResource(id: "docker:\(host.id)", name: host.displayName, type: "dockerHost", node: host.hostname)
        guard !configuration.disableAllDockerHosts, let thresholds = thresholds(resource.id, ThresholdConfig()) else { return }
        addOffline(
            resource, prefix: "docker-host", status: host.status, allOff: configuration.disableAllDockerHostsOffline,
            thresholds: thresholds, offlineID: host.id)
        guard host.status == "online", !configuration.disableAllDockerContainers else { return }
        for container in host.containers where !isIgnored(container) { add(container: container, host: host) }
    }

    private func isIgnored(_ container: ContainerView) -> Bool {
        let name = container.bareName
        return configuration.dockerIgnoredContainerPrefixes.contains { prefix in
            let prefix = prefix.lowercased()
            return !prefix.isEmpty && (name.lowercased().hasPrefix(prefix) || container.id.lowercased().hasPrefix(prefix))
        }
    }

    private mutating func add(container: ContainerView, host: DockerHostView) {
        let docker = configuration.dockerDefaults
        let name = container.bareName
        let resource = AlertResource(id: "docker:\(host.id)/\(container.id)", name: name, type: "dockerContainer", node: host.hostname)
        let defaults = ThresholdConfig(cpu: docker.cpu, memory: docker.memory, disk: docker.disk)
        guard let thresholds = thresholds(resource.id, defaults) else { return }
        let state = container.state.lowercased()
        let prefix = "docker-container"
        restartKeys.insert(resource.id)
        if state == "running" {
            addThreshold(resource, .cpu, container.cpuPercent, thresholds, kind: "docker")
            addThreshold(resource, .memory, container.memoryPercent, thresholds, kind: "docker")
        }
        let oom = (state == "exited" || state == "dead") && container.exitCode == 137
        add(
            rule: "\(prefix)-oom-\(resource.id)", type: "docker-container-oom", resource, holds: oom, level: .critical,
            value: 137, message: "Docker container \(name) on \(host.displayName) was killed for lack of memory (exit code 137)")
        if docker.stateAlerts {
            let stopped = state == "exited" || state == "dead"
            add(
                rule: "\(prefix)-state-\(resource.id)", type: "docker-container-state", resource, holds: stopped && !oom,
                level: state == "dead" ? .critical : .warning, value: Double(container.exitCode),
                message: "Docker container \(name) on \(host.displayName) is \(state) (exit code \(container.exitCode))",
                details: ["state": state])
        }
        add(
            rule: "\(prefix)-health-\(resource.id)", type: "docker-container-health", resource,
            holds: container.health?.lowercased() == "unhealthy", level: .critical,
            message: "Docker container \(name) on \(host.displayName) is unhealthy")
        let loop = memory.restartLoop(
            resource.id, count: container.restartCount, at: now, rise: docker.restartCount, window: TimeInterval(docker.restartWindow))
        add(
            rule: "\(prefix)-restart-loop-\(resource.id)", type: "docker-container-restart-loop", resource, holds: loop.holds,
            level: .critical, value: Double(loop.rose), threshold: Double(docker.restartCount),
            message: "Docker container \(name) on \(host.displayName) restarted \(loop.rose) times within \(docker.restartWindow) s")
        if container.memoryLimitBytes > 0 {
            let percent = Double(container.memoryUsageBytes) / Double(container.memoryLimitBytes) * 100
            add(
                rule: "\(prefix)-memory-limit-\(resource.id)", type: "docker-container-memory-limit", resource,
                holds: percent >= docker.memoryWarnPct, level: percent >= docker.memoryCriticalPct ? .critical : .warning,
                value: percent, threshold: docker.memoryWarnPct,
                message: "Docker container \(name) on \(host.displayName) uses \(AlertBook.format(percent))% of its memory limit")
        }
    }

    // MARK: Backups

    /// The age of each guest's newest backup (PVE storage or PBS), when backup-age alerts are on.
    private mutating func addBackupAges(_ snapshot: StateSnapshot) {
        let limits = configuration.backupDefaults
        guard limits.enabled, limits.warningDays > 0 else { return }
        var newest: [Int: Date] = [:]
        for backup in snapshot.pveBackups.storageBackups { newest[backup.vmid] = max(newest[backup.vmid] ?? .distantPast, backup.time) }
        for backup in snapshot.pbsBackups {
            guard let vmid = Int(backup.vmid) else { continue }
            newest[vmid] = max(newest[vmid] ?? .distantPast, backup.backupTime)
        }
        for guest in snapshot.vms + snapshot.containers where !guest.template {
            let resource = AlertResource(id: guest.id, name: guest.name, type: guest.resourceType, node: guest.node, instance: guest.instance)
            let days = newest[guest.vmid].map { now.timeIntervalSince($0) / 86_400 }
            let ageText = days.map { "\(AlertBook.format($0)) days old" } ?? "never backed up"
            add(
                rule: "\(guest.id)-backup-age", type: "backup-age", resource, holds: (days ?? .infinity) >= Double(limits.warningDays),
                level: (days ?? .infinity) >= Double(limits.criticalDays) ? .critical : .warning, value: days ?? -1,
                threshold: Double(limits.warningDays), message: "Newest backup of \(guest.name) is \(ageText)")
        }
    }

    // MARK: Building blocks

    /// The resource's thresholds (override over defaults), or nil when alerts are off for it.
    private func thresholds(_ resourceID: String, _ defaults: ThresholdConfig) -> ThresholdConfig? {
        let merged = configuration.overrides[resourceID].map { $0.overriding(defaults) } ?? defaults
        return merged.disabled == true ? nil : merged
    }

    /// Adds a threshold condition unless the value is at or below the clear level and below the
    /// trigger: the book treats such a condition exactly like an absent one (an active alert
    /// resolves, a pending one is forgotten), so it is not built at all.
    private mutating func addThreshold(
        _ resource: AlertResource, _ metric: AlertMetric, _ value: Double?, _ thresholds: ThresholdConfig, kind: String
    ) {
        guard let value, value.isFinite, let pair = thresholds[metric], pair.isEnabled else { return }
        guard value > pair.clear || value >= pair.trigger else { return }
        conditions.append(.threshold(resource, metric, value: value, pair: pair, delay: delay(kind: kind, metric: metric)))
    }

    /// Pulse's precedence: per-type-and-metric, then per-type, then the global delay.
    private func delay(kind: String, metric: AlertMetric) -> TimeInterval {
        let perMetric = configuration.metricTimeThresholds[kind]
        let seconds = perMetric?[metric.rawValue] ?? perMetric?["default"] ?? configuration.timeThresholds[kind] ?? configuration.timeThreshold
        return TimeInterval(max(0, seconds))
    }

    mutating func addOffline(
        _ resource: AlertResource, prefix: String, status: String, allOff: Bool, thresholds: ThresholdConfig? = nil, offlineID: String? = nil
    ) {
        guard !allOff, thresholds?.disableConnectivity != true else { return }
        if thresholds == nil,
            configuration.overrides[resource.id]?.disabled == true || configuration.overrides[resource.id]?.disableConnectivity == true
        {
            return
        }
        add(
            rule: "\(prefix)-offline-\(offlineID ?? resource.id)", type: "offline", resource, holds: status != "online" && status != "unknown",
            level: .critical, message: "\(resource.typeLabel) \(resource.name) is \(status)",
            confirmations: configuration.offlineConfirmations)
    }

    /// Adds a rule condition that holds. One that does not hold is left out: the book treats it
    /// exactly like an absent one (an active alert resolves, confirmations start over), and
    /// leaving it out spares building its ID and message for every container on every evaluation.
    private mutating func add(
        rule id: @autoclosure () -> String, type: String, _ resource: AlertResource, holds: Bool = true, level: AlertLevel,
        value: Double = 1, threshold: Double = 0, message: @autoclosure () -> String, confirmations: Int = 1,
        details: @autoclosure () -> [String: String]? = nil
    ) {
        guard holds else { return }
        conditions.append(
            AlertCondition(
                id: id(), type: type, resource: resource,
                check: .rule(
                    holds: true, level: level, value: value, threshold: threshold, message: message(), confirmations: confirmations,
                    details: details())))
    }
}

import AgentProtocol
package import Foundation
package import PulseCore

/// Builds the conditions of one evaluation from the resources' readings: everything
/// resource-specific about alerting (which metrics, whose thresholds, which rules) lives here.
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

    /// The conditions for `readings`, and the updated rule memory.
    package static func build(from readings: [ResourceReading], configuration: AlertConfiguration, memory: RuleMemory, at now: Date)
        -> (conditions: [AlertCondition], memory: RuleMemory)
    {
        var builder = AlertConditions(configuration: configuration, memory: memory, now: now)
        guard configuration.enabled else { return ([], memory) }
        for reading in readings { builder.add(reading) }
        builder.addBackupAges(readings)
        builder.memory.keep(restartKeys: builder.restartKeys, diskKeys: builder.diskKeys)
        return (builder.conditions, builder.memory)
    }

    private mutating func add(_ reading: ResourceReading) {
        switch reading.kind {
        case .node: add(node: reading)
        case .vm, .container: add(guest: reading)
        case .host: add(host: reading)
        case .dockerHost: add(dockerHost: reading)
        case .storage: add(storage: reading)
        case .pbs: addOffline(resource(reading), prefix: "pbs", status: reading.status, allOff: configuration.disableAllPBSOffline)
        case .pmg: addOffline(resource(reading), prefix: "pmg", status: reading.status, allOff: configuration.disableAllPMGOffline)
        case .kubernetesCluster:
            addOffline(
                resource(reading), prefix: "kubernetes-cluster", status: reading.status,
                allOff: configuration.disableAllKubernetesClusters || configuration.disableAllKubernetesClustersOffline)
        }
    }

    private func resource(_ reading: ResourceReading) -> AlertResource {
        AlertResource(id: reading.id, name: reading.name, type: reading.kind.rawValue, node: reading.node, instance: reading.instance)
    }

    private static let machineMetrics: [AlertMetric] = [.cpu, .memory, .disk, .temperature]
    private static let guestMetrics: [AlertMetric] = [.cpu, .memory, .disk, .diskRead, .diskWrite, .networkIn, .networkOut]
    private static let storageMetrics: [AlertMetric] = [.usage]

    /// A threshold condition for each of `metrics` the reading has a value of.
    private mutating func addThresholds(
        _ reading: ResourceReading, _ resource: AlertResource, _ metrics: [AlertMetric], _ thresholds: ThresholdConfig, kind: String
    ) {
        for metric in metrics { addThreshold(resource, metric, reading.values[metric], thresholds, kind: kind) }
    }

    // MARK: Proxmox

    private mutating func add(node: ResourceReading) {
        let resource = resource(node)
        guard !configuration.disableAllNodes, let thresholds = thresholds(resource.id, configuration.nodeDefaults) else { return }
        addOffline(resource, prefix: "node", status: node.status, allOff: configuration.disableAllNodesOffline, thresholds: thresholds)
        guard node.status == "online" else { return }
        addThresholds(node, resource, Self.machineMetrics, thresholds, kind: "node")
    }

    private mutating func add(guest: ResourceReading) {
        let resource = resource(guest)
        guard !configuration.disableAllGuests, let thresholds = thresholds(resource.id, configuration.guestDefaults) else { return }
        if guest.status == "stopped", let severity = thresholds.poweredOffSeverity, !configuration.disableAllGuestsOffline {
            add(
                rule: "guest-powered-off-\(guest.id)", type: "powered-off", resource, level: severity,
                message: "\(resource.typeLabel) \(guest.name) is powered off")
        }
        guard guest.status == "running" else { return }
        addThresholds(guest, resource, Self.guestMetrics, thresholds, kind: "guest")
    }

    private mutating func add(storage: ResourceReading) {
        let resource = resource(storage)
        let defaults = ThresholdConfig(usage: configuration.storageDefault)
        guard !configuration.disableAllStorage, let thresholds = thresholds(resource.id, defaults) else { return }
        addThresholds(storage, resource, Self.storageMetrics, thresholds, kind: "storage")
    }

    // MARK: Agents

    private mutating func add(host: ResourceReading) {
        let resource = resource(host)
        guard !configuration.disableAllHosts, let thresholds = thresholds(resource.id, configuration.hostDefaults) else { return }
        addOffline(
            resource, prefix: "host", status: host.status, allOff: configuration.disableAllHostsOffline, thresholds: thresholds,
            offlineID: host.recordID)
        guard host.status == "online" else { return }
        addThresholds(host, resource, Self.machineMetrics, thresholds, kind: "host")
        for array in host.raid { add(raid: array, host: host, resource: resource) }
        for disk in host.disks { add(smart: disk, host: host, resource: resource) }
    }

    private mutating func add(raid array: RAIDArray, host: ResourceReading, resource: AlertResource) {
        let state = array.state.lowercased()
        let failed = array.failedDevices > 0 || state.contains("fail") || state.contains("inactive")
        let degraded = failed || state.contains("degraded") || array.activeDevices < array.totalDevices
        let rebuilding = state.contains("recover") || state.contains("resync") || state.contains("rebuild")
        let device = array.device.split(separator: "/").last.map(String.init) ?? array.device
        let level: AlertLevel = degraded && !rebuilding ? .critical : .warning
        add(
            rule: "host-\(host.recordID)-raid-\(device)", type: "raid", resource, holds: degraded || rebuilding, level: level,
            value: Double(array.activeDevices), threshold: Double(array.totalDevices),
            message: "RAID \(device) on \(host.name) is \(array.state) (\(array.activeDevices)/\(array.totalDevices) devices active)",
            details: ["device": device, "state": array.state])
    }

    private mutating func add(smart disk: SMARTDisk, host: ResourceReading, resource: AlertResource) {
        let device = disk.deviceName
        let key = "\(host.recordID)/\(disk.serial ?? device)"
        diskKeys.insert(key)
        if disk.standby == true { return }
        let health = (disk.health ?? "").uppercased()
        add(
            rule: "host-\(host.recordID)-smart-\(device)", type: "smart", resource, holds: health == "FAILED", level: .critical,
            message: "SMART health of \(device) on \(host.name) is FAILED", details: ["device": device, "model": disk.model ?? ""])
        let sectors = RuleMemory.sectorCount(disk.attributes)
        let rise = memory.sectorRise(key, count: sectors)
        add(
            rule: "host-\(host.recordID)-smart-sectors-\(device)", type: "smart-sectors", resource, holds: rise > 0, level: .warning,
            value: Double(sectors), threshold: Double(sectors - rise),
            message: "\(device) on \(host.name): reallocated/pending sectors rose by \(rise) to \(sectors)",
            details: ["device": device, RuleMemory.baselineKeyDetail: key])
    }

    private mutating func add(dockerHost host: ResourceReading) {
        let resource = resource(host)
        guard !configuration.disableAllDockerHosts, let thresholds = thresholds(resource.id, ThresholdConfig()) else { return }
        addOffline(
            resource, prefix: "docker-host", status: host.status, allOff: configuration.disableAllDockerHostsOffline,
            thresholds: thresholds, offlineID: host.recordID)
        guard host.status == "online", !configuration.disableAllDockerContainers else { return }
        for container in host.containers where !isIgnored(container) { add(container: container, host: host) }
    }

    private func isIgnored(_ container: ContainerReading) -> Bool {
        let name = container.name
        return configuration.dockerIgnoredContainerPrefixes.contains { prefix in
            let prefix = prefix.lowercased()
            return !prefix.isEmpty && (name.lowercased().hasPrefix(prefix) || container.id.lowercased().hasPrefix(prefix))
        }
    }

    private mutating func add(container: ContainerReading, host: ResourceReading) {
        let docker = configuration.dockerDefaults
        let name = container.name
        let resource = AlertResource(id: "docker:\(host.recordID)/\(container.id)", name: name, type: "dockerContainer", node: host.node)
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
            value: 137, message: "Docker container \(name) on \(host.name) was killed for lack of memory (exit code 137)")
        if docker.stateAlerts {
            let stopped = state == "exited" || state == "dead"
            add(
                rule: "\(prefix)-state-\(resource.id)", type: "docker-container-state", resource, holds: stopped && !oom,
                level: state == "dead" ? .critical : .warning, value: Double(container.exitCode),
                message: "Docker container \(name) on \(host.name) is \(state) (exit code \(container.exitCode))",
                details: ["state": state])
        }
        add(
            rule: "\(prefix)-health-\(resource.id)", type: "docker-container-health", resource,
            holds: container.health?.lowercased() == "unhealthy", level: .critical,
            message: "Docker container \(name) on \(host.name) is unhealthy")
        let loop = memory.restartLoop(
            resource.id, count: container.restartCount, at: now, rise: docker.restartCount, window: TimeInterval(docker.restartWindow))
        add(
            rule: "\(prefix)-restart-loop-\(resource.id)", type: "docker-container-restart-loop", resource, holds: loop.holds,
            level: .critical, value: Double(loop.rose), threshold: Double(docker.restartCount),
            message: "Docker container \(name) on \(host.name) restarted \(loop.rose) times within \(docker.restartWindow) s")
        if let delayHours = docker.updateAlertDelayHours, delayHours >= 0 {
            // Regular checks come every 10 s: 360 consecutive ones are an hour of the update being reported.
            add(
                rule: "\(prefix)-update-\(resource.id)", type: "docker-container-update", resource, holds: container.updateAvailable,
                level: .warning, message: "Docker container \(name) on \(host.name) has an image update available",
                confirmations: max(1, delayHours * 360))
        }
        if container.memoryLimitBytes > 0 {
            let percent = Double(container.memoryUsageBytes) / Double(container.memoryLimitBytes) * 100
            add(
                rule: "\(prefix)-memory-limit-\(resource.id)", type: "docker-container-memory-limit", resource,
                holds: percent >= docker.memoryWarnPct, level: percent >= docker.memoryCriticalPct ? .critical : .warning,
                value: percent, threshold: docker.memoryWarnPct,
                message: "Docker container \(name) on \(host.name) uses \(AlertBook.format(percent))% of its memory limit")
        }
    }

    // MARK: Backups

    /// The age of each guest's newest backup (PVE storage or PBS), when backup-age alerts are on.
    private mutating func addBackupAges(_ readings: [ResourceReading]) {
        let limits = configuration.backupDefaults
        guard limits.enabled, limits.warningDays > 0 else { return }
        for guest in readings where guest.kind == .vm || guest.kind == .container {
            let resource = resource(guest)
            let days = guest.newestBackup.map { now.timeIntervalSince($0) / 86_400 }
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

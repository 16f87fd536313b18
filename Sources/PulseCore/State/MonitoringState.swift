import AgentProtocol
package import Foundation
package import PulseSupport

/// The one merged view of everything monitored.
///
/// Agents write through the ingest methods in the `MonitoringState+*Ingest` files and the
/// Proxmox pollers through `MonitoringState+Proxmox`; the API and WebSocket read `snapshot()`. Mutations mark
/// records dirty for `StatePersistenceService` and notify `changes`.
package actor MonitoringState {
    package let time: any TimeSource
    /// Server start; offline windows never start earlier than this.
    let bootedAt: Date
    package nonisolated let changes: StateChanges
    /// The snapshot of the newest version, shared by every reader.
    package nonisolated let published = PublishedSnapshot()
    /// Bounds on the records agents create (`MonitoringState+Ownership`).
    package nonisolated let limits: EnrolmentLimits

    package var hosts: [String: HostAgentRecord] = [:]
    package var dockerHosts: [String: DockerAgentRecord] = [:]
    package var kubernetesClusters: [String: KubernetesAgentRecord] = [:]
    /// Polled PVE instances by instance ID.
    package var pveInstances: [String: PolledPVE] = [:]
    package var pbsInstances: [String: PolledInstance<PBSInventory>] = [:]
    package var pmgInstances: [String: PolledInstance<PMGInventory>] = [:]
    /// Node ID → machine-id of the host agent linked to it (see `ProxmoxHostLinker`).
    var nodeMachineLinks: [String: String] = [:]
    /// Successful Proxmox polls since start (`stats.pollingCycles`).
    var pollingCycles = 0
    /// Removed resources, keyed by `kind:id`; they block their agent until `blockedUntil`.
    package var removed: [String: RemovedAgent] = [:]
    /// `tokenID:hostname` → host ID, keeping IDs stable per token (Pulse's binding).
    package var hostBindings: [String: String] = [:]
    /// Last status seen by `evaluateStatuses`, to report transitions once.
    package var knownStatus: [String: AgentStatus] = [:]
    /// Published by the alert engine whenever its active alerts change.
    package var activeAlerts: [Alert] = []
    /// Whether nodes show the temperatures of the agents linked to them (`temperatureMonitoringEnabled`).
    package var temperatureMonitoring = true
    /// Settings, link overrides and uninstall requests held for host agents, by host ID (`MonitoringState+HostControl`).
    package var hostControls: [String: HostAgentControl] = [:]
    /// What users attached to resources (`MonitoringState+Metadata`).
    package var metadata: [MetadataKind: [String: ResourceMetadata]] = [:]
    /// What changed since the last persistence flush.
    package var pendingWrites = PendingWrites()
    private var lastChange: Date

    package init(time: any TimeSource, changes: StateChanges = StateChanges(), limits: EnrolmentLimits = EnrolmentLimits()) {
        self.time = time
        self.changes = changes
        self.limits = limits
        bootedAt = time.now()
        lastChange = bootedAt
    }

    /// Records that something visible changed.
    func didChange() {
        lastChange = time.now()
        changes.notify()
        published.outdate(below: changes.current)
    }

    // MARK: Status

    package func status(of record: HostAgentRecord, at now: Date) -> AgentStatus { record.status(bootedAt: bootedAt, now: now) }
    package func status(of record: DockerAgentRecord, at now: Date) -> AgentStatus { record.status(bootedAt: bootedAt, now: now) }
    package func status(of record: KubernetesAgentRecord, at now: Date) -> AgentStatus { record.status(bootedAt: bootedAt, now: now) }

    /// Every agent's current status keyed like `connectionHealth` (`host-<id>`, `docker-<id>`, `kubernetes-<id>`).
    package func currentStatuses(at now: Date) -> [String: AgentStatus] {
        OfflinePolicy.statuses(hosts: hosts, dockerHosts: dockerHosts, kubernetesClusters: kubernetesClusters, bootedAt: bootedAt, now: now)
    }

    /// Re-evaluates online/offline and returns the keys whose status changed since the last call.
    @discardableResult
    package func evaluateStatuses() -> [String: AgentStatus] {
        let current = currentStatuses(at: time.now())
        let transitions = current.filter { knownStatus[$0.key] != nil && knownStatus[$0.key] != $0.value }
        knownStatus = current
        if !transitions.isEmpty { didChange() }
        return transitions
    }

    /// Turns node temperatures on or off (the `temperatureMonitoringEnabled` setting).
    package func setTemperatureMonitoring(_ enabled: Bool) {
        guard enabled != temperatureMonitoring else { return }
        temperatureMonitoring = enabled
        didChange()
    }

    /// Takes the alert engine's active alerts into the state (and so to `/ws` clients).
    package func setActiveAlerts(_ alerts: [Alert]) {
        guard alerts != activeAlerts else { return }
        activeAlerts = alerts
        didChange()
    }

    // MARK: Snapshot

    /// A consistent copy of the whole state in Pulse's field names.
    ///
    /// Only copying the contents holds the actor (dictionaries of value types are copied in
    /// O(1)); the views, thousands with many containers, are built off it, beside ingest.
    ///
    /// Built once per state version and shared (`PublishedSnapshot`); a read never writes.
    package nonisolated func snapshot() async -> StateSnapshot {
        await versionedSnapshot().snapshot
    }

    /// `snapshot()` with the version it is of and when it was built.
    package nonisolated func versionedSnapshot() async -> VersionedSnapshot {
        if let current = published.versioned(ofVersion: changes.current, at: time.now()) { return current }
        let contents = await contents()
        let snapshot = contents.snapshot()
        published.publish(snapshot, version: contents.version, builtAt: contents.now)
        return VersionedSnapshot(snapshot: snapshot, version: contents.version, builtAt: contents.now)
    }

    /// What a snapshot is built from, as of now.
    func contents() -> StateContents {
        StateContents(
            now: time.now(), bootedAt: bootedAt, lastChange: lastChange, hosts: hosts, dockerHosts: dockerHosts,
            kubernetesClusters: kubernetesClusters, pveInstances: pveInstances, pbsInstances: pbsInstances, pmgInstances: pmgInstances,
            nodeMachineLinks: nodeMachineLinks, linkOverrides: linkOverrides, removed: removed, activeAlerts: activeAlerts, metadata: metadata,
            temperatureMonitoring: temperatureMonitoring,
            pollingCycles: pollingCycles,
            webSocketClients: changes.subscriberCount, version: changes.current)
    }

    /// Learns which machine runs each Proxmox node (see `ProxmoxHostLinker`), so a node keeps its
    /// agent when another machine later reports the same hostname. Runs when nodes or host
    /// identities change, never on a read.
    ///
    /// Only the nodes' links (`ProxmoxHostLinker.linkNodes`): a burst of new hosts (a fleet's first
    /// reports, demo mode's first read) calls this once per host, each time over the whole estate.
    func learnNodeLinks() {
        guard !pveInstances.isEmpty, !hosts.isEmpty else { return }
        let instances = pveInstances.values.sorted { $0.inventory.instanceName < $1.inventory.instanceName }
        let links = ProxmoxHostLinker.linkNodes(
            nodes: instances.flatMap(\.inventory.nodes), hosts: hosts.values, remembered: nodeMachineLinks, overrides: linkOverrides)
        nodeMachineLinks.merge(links.machineOfNode) { _, new in new }
    }
}

/// Records waiting to be written to (or deleted from) the database.
package struct PendingWrites: Sendable {
    package var records: Set<AgentRef> = []
    package var removed: Set<AgentRef> = []
    /// When each record on disk was last taken for writing.
    package var writtenAt: [AgentRef: Date] = [:]
    package var isEmpty: Bool { records.isEmpty && removed.isEmpty }
}

/// A kind and an ID: the key of an agent record or removal entry.
package struct AgentRef: Hashable, Sendable {
    package var kind: AgentKind
    package var id: String
    package var key: String { "\(kind.rawValue):\(id)" }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(kind: AgentKind, id: String) {
        self.kind = kind
        self.id = id
    }
}

import AgentProtocol
import Foundation

/// The one merged view of everything monitored.
///
/// Agents write through the ingest methods in the `MonitoringState+*Ingest` files and the
/// Proxmox pollers through `MonitoringState+Proxmox`; the API and WebSocket read `snapshot()`. Mutations mark
/// records dirty for `StatePersistenceService` and notify `changes`.
actor MonitoringState {
    let time: any TimeSource
    /// Server start; offline windows never start earlier than this.
    let bootedAt: Date
    nonisolated let changes: StateChanges

    var hosts: [String: HostAgentRecord] = [:]
    var dockerHosts: [String: DockerAgentRecord] = [:]
    var kubernetesClusters: [String: KubernetesAgentRecord] = [:]
    /// Polled PVE instances by instance ID.
    var pveInstances: [String: PVEInstanceRecord] = [:]
    var pbsInstances: [String: PolledInstance<PBSPollResult>] = [:]
    var pmgInstances: [String: PolledInstance<PMGPollResult>] = [:]
    /// Node ID → machine-id of the host agent linked to it (see `ProxmoxHostLinker`).
    var nodeMachineLinks: [String: String] = [:]
    /// Successful Proxmox polls since start (`stats.pollingCycles`).
    var pollingCycles = 0
    /// Removed resources, keyed by `kind:id`; they block their agent until `blockedUntil`.
    var removed: [String: RemovedAgent] = [:]
    /// `tokenID:hostname` → host ID, keeping IDs stable per token (Pulse's binding).
    var hostBindings: [String: String] = [:]
    /// Last status seen by `evaluateStatuses`, to report transitions once.
    var knownStatus: [String: AgentStatus] = [:]
    /// Published by the alert engine whenever its active alerts change.
    var activeAlerts: [Alert] = []
    /// What changed since the last persistence flush.
    var pendingWrites = PendingWrites()
    private var lastChange: Date

    init(time: any TimeSource, changes: StateChanges = StateChanges()) {
        self.time = time
        self.changes = changes
        bootedAt = time.now()
        lastChange = bootedAt
    }

    /// Records that something visible changed.
    func didChange() {
        lastChange = time.now()
        changes.notify()
    }

    // MARK: Status

    func status(of record: HostAgentRecord, at now: Date) -> AgentStatus {
        OfflinePolicy.status(
            lastReceived: record.receivedAt, window: OfflinePolicy.hostWindow(intervalSeconds: record.report.agent.intervalSeconds),
            bootedAt: bootedAt, now: now)
    }

    func status(of record: DockerAgentRecord, at now: Date) -> AgentStatus {
        OfflinePolicy.status(
            lastReceived: record.receivedAt, window: OfflinePolicy.containerAgentWindow(intervalSeconds: record.report.agent.intervalSeconds),
            bootedAt: bootedAt, now: now)
    }

    func status(of record: KubernetesAgentRecord, at now: Date) -> AgentStatus {
        OfflinePolicy.status(
            lastReceived: record.receivedAt, window: OfflinePolicy.containerAgentWindow(intervalSeconds: record.report.agent.intervalSeconds),
            bootedAt: bootedAt, now: now)
    }

    /// Every agent's current status keyed like `connectionHealth` (`host-<id>`, `docker-<id>`, `kubernetes-<id>`).
    func currentStatuses(at now: Date) -> [String: AgentStatus] {
        var statuses: [String: AgentStatus] = [:]
        for record in hosts.values { statuses["host-\(record.id)"] = status(of: record, at: now) }
        for record in dockerHosts.values { statuses["docker-\(record.id)"] = status(of: record, at: now) }
        for record in kubernetesClusters.values { statuses["kubernetes-\(record.id)"] = status(of: record, at: now) }
        return statuses
    }

    /// Re-evaluates online/offline and returns the keys whose status changed since the last call.
    @discardableResult
    func evaluateStatuses() -> [String: AgentStatus] {
        let current = currentStatuses(at: time.now())
        let transitions = current.filter { knownStatus[$0.key] != nil && knownStatus[$0.key] != $0.value }
        knownStatus = current
        if !transitions.isEmpty { didChange() }
        return transitions
    }

    /// Takes the alert engine's active alerts into the state (and so to `/ws` clients).
    func setActiveAlerts(_ alerts: [Alert]) {
        guard alerts != activeAlerts else { return }
        activeAlerts = alerts
        didChange()
    }

    // MARK: Snapshot

    /// A consistent copy of the whole state in Pulse's field names.
    func snapshot() -> StateSnapshot {
        let now = time.now()
        var snapshot = StateSnapshot()
        snapshot.hosts = hosts.values.sorted { $0.id < $1.id }.map { HostView($0, status: status(of: $0, at: now)) }
        snapshot.cephClusters = CephClusterView.fromHosts(hosts.values)
        snapshot.dockerHosts = dockerHosts.values.sorted { $0.id < $1.id }.map { DockerHostView($0, status: status(of: $0, at: now)) }
        snapshot.kubernetesClusters = kubernetesClusters.values.sorted { $0.id < $1.id }
            .map { KubernetesClusterView($0, status: status(of: $0, at: now)) }
        let removedSorted = removed.values.filter { $0.blocks(at: now) }.sorted { $0.removedAt > $1.removedAt }
        snapshot.removedHosts = removedSorted.filter { $0.kind == .host }.map(RemovedAgentView.init)
        snapshot.removedDockerHosts = removedSorted.filter { $0.kind == .docker }.map(RemovedAgentView.init)
        snapshot.removedKubernetesClusters = removedSorted.filter { $0.kind == .kubernetes }.map(RemovedAgentView.init)
        snapshot.connectionHealth = currentStatuses(at: now).mapValues { $0 == .online }
        addProxmox(to: &snapshot, at: now)
        snapshot.activeAlerts = activeAlerts
        snapshot.lastUpdate = lastChange.unixMillis
        snapshot.stats.startTime = bootedAt.unixMillis
        snapshot.stats.uptime = Int64(now.timeIntervalSince(bootedAt))
        snapshot.stats.pollingCycles = pollingCycles
        snapshot.stats.webSocketClients = changes.subscriberCount
        return snapshot
    }
}

/// Records waiting to be written to (or deleted from) the database.
struct PendingWrites: Sendable {
    var records: Set<AgentRef> = []
    var removed: Set<AgentRef> = []
    /// When each record on disk was last taken for writing.
    var writtenAt: [AgentRef: Date] = [:]
    var isEmpty: Bool { records.isEmpty && removed.isEmpty }
}

/// A kind and an ID: the key of an agent record or removal entry.
struct AgentRef: Hashable, Sendable {
    var kind: AgentKind
    var id: String
    var key: String { "\(kind.rawValue):\(id)" }
}

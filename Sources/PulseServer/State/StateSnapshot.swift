import Foundation

/// The body of `GET /api/state` and of the `/ws` `rawData` message: every top-level key Pulse
/// v5 clients read, always present.
///
/// Collections whose models arrive with later work (Proxmox polling, alerts) are typed
/// `[NotYetCollected]`, an uninhabited type: they can only be empty until their model exists.
struct StateSnapshot: Encodable, Sendable {
    var nodes: [NodeView] = []
    var vms: [GuestView] = []
    var containers: [GuestView] = []
    var dockerHosts: [DockerHostView] = []
    var removedDockerHosts: [RemovedAgentView] = []
    var kubernetesClusters: [KubernetesClusterView] = []
    var removedKubernetesClusters: [RemovedAgentView] = []
    var hosts: [HostView] = []
    var removedHosts: [RemovedAgentView] = []
    var storage: [StorageView] = []
    var cephClusters: [CephClusterView] = []
    var physicalDisks: [PhysicalDiskView] = []
    var pbs: [PBSInstanceView] = []
    var pmg: [PMGInstanceView] = []
    var pbsBackups: [PBSBackupView] = []
    var pmgBackups: [NotYetCollected] = []
    var backups = Backups()
    var replicationJobs: [ReplicationJobView] = []
    var activeAlerts: [Alert] = []
    var metrics: [String: NotYetCollected] = [:]
    var pveBackups = PVEBackups()
    var performance: [String: NotYetCollected] = [:]
    var stats = Stats()
    /// Per source: `true` while reachable. Keys `<pveInstance>`, `pbs-<n>`, `host-<id>`, …
    var connectionHealth: [String: Bool] = [:]
    /// Unix milliseconds of the last change.
    var lastUpdate: Int64 = 0
    var temperatureMonitoringEnabled = true
    var pveTagColors: [String: String] = [:]

    struct Backups: Encodable, Sendable {
        var pve = PVEBackups()
        var pbs: [PBSBackupView] = []
        var pmg: [NotYetCollected] = []
    }

    struct PVEBackups: Encodable, Sendable {
        var backupTasks: [BackupTaskView] = []
        var storageBackups: [StorageBackupView] = []
        var guestSnapshots: [GuestSnapshotView] = []
    }

    /// Server-wide aggregates.
    struct Stats: Encodable, Sendable {
        /// Unix milliseconds when the server started.
        var startTime: Int64 = 0
        /// Seconds since start.
        var uptime: Int64 = 0
        var version = BuildInfo.version
        var pollingCycles = 0
        var webSocketClients = 0
    }
}

/// No value of this type exists; see `StateSnapshot`.
enum NotYetCollected: Encodable, Sendable {
    func encode(to encoder: any Encoder) throws {}
}

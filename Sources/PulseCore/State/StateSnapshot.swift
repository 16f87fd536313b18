import Foundation
import PulseSupport

/// The body of `GET /api/state` and of the `/ws` `rawData` message: every top-level key Pulse
/// v5 clients read, always present.
///
/// Collections whose models arrive with later work (Proxmox polling, alerts) are typed
/// `[NotYetCollected]`, an uninhabited type: they can only be empty until their model exists.
package struct StateSnapshot: Encodable, Sendable {
    package var nodes: [NodeView] = []
    package var vms: [GuestView] = []
    package var containers: [GuestView] = []
    package var dockerHosts: [DockerHostView] = []
    var removedDockerHosts: [RemovedAgentView] = []
    package var kubernetesClusters: [KubernetesClusterView] = []
    var removedKubernetesClusters: [RemovedAgentView] = []
    package var hosts: [HostView] = []
    var removedHosts: [RemovedAgentView] = []
    package var storage: [StorageView] = []
    var cephClusters: [CephClusterView] = []
    package var physicalDisks: [PhysicalDiskView] = []
    package var pbs: [PBSInstanceView] = []
    package var pmg: [PMGInstanceView] = []
    package var pbsBackups: [PBSBackupView] = []
    var pmgBackups: [NotYetCollected] = []
    package var backups = Backups()
    package var replicationJobs: [ReplicationJobView] = []
    package var activeAlerts: [Alert] = []
    package var metrics: [String: NotYetCollected] = [:]
    package var pveBackups = PVEBackups()
    var performance: [String: NotYetCollected] = [:]
    package var stats = Stats()
    /// Per source: `true` while reachable. Keys `<pveInstance>`, `pbs-<n>`, `host-<id>`, …
    package var connectionHealth: [String: Bool] = [:]
    /// Polled data the last poll could not refresh, with when it was last good.
    package var staleData: [StaleDataView] = []
    /// Unix milliseconds of the last change.
    var lastUpdate: Int64 = 0
    var temperatureMonitoringEnabled = true
    var pveTagColors: [String: String] = [:]

    package struct Backups: Encodable, Sendable {
        package var pve = PVEBackups()
        package var pbs: [PBSBackupView] = []
        package var pmg: [NotYetCollected] = []
    }

    package struct PVEBackups: Encodable, Sendable {
        package var backupTasks: [BackupTaskView] = []
        package var storageBackups: [StorageBackupView] = []
        package var guestSnapshots: [GuestSnapshotView] = []
    }

    /// Server-wide aggregates.
    package struct Stats: Encodable, Sendable {
        /// Unix milliseconds when the server started.
        package var startTime: Int64 = 0
        /// Seconds since start.
        package var uptime: Int64 = 0
        package var version = BuildInfo.version
        var pollingCycles = 0
        var webSocketClients = 0
    }
}

/// No value of this type exists; see `StateSnapshot`.
package enum NotYetCollected: Encodable, Sendable {
    package func encode(to encoder: any Encoder) throws {}
}

import Foundation

/// What the PVE poller hands the state after a successful poll of one instance: model values
/// only, in the order the API lists them. The state adds what depends on time and on the other
/// sources (node status from when each node last answered, links to host agents).
struct PVEInventory: Sendable {
    var instanceID: String
    var instanceName: String
    var nodes: [NodeView] = []
    /// The nodes that answered their `/status` in this poll.
    var respondingNodes: Set<String> = []
    /// VMs and containers together, by VMID.
    var guests: [GuestView] = []
    var storage: [StorageView] = []
    var physicalDisks: [PhysicalDiskView] = []
    /// The cluster's Ceph, when it has one; it replaces what host agents report for the same fsid.
    var ceph: CephClusterView?
    var replicationJobs: [ReplicationJobView] = []
    var backups = StateSnapshot.PVEBackups()

    /// A node counts as offline only after this long without an answer.
    static let nodeOfflineGrace: TimeInterval = 60

    init(instanceID: String, instanceName: String) {
        self.instanceID = instanceID
        self.instanceName = instanceName
    }
}

/// What the PBS poller hands the state after a successful poll.
struct PBSInventory: Sendable {
    var instanceID: String
    var instanceName: String
    var server: PBSInstanceView
    var backups: [PBSBackupView]
}

/// What the PMG poller hands the state after a successful poll.
struct PMGInventory: Sendable {
    var instanceID: String
    var instanceName: String
    var server: PMGInstanceView
}

import Foundation

/// What the PVE poller hands the state after a successful poll of one instance: model values
/// only, in the order the API lists them. The state adds what depends on time and on the other
/// sources (node status from when each node last answered, links to host agents).
package struct PVEInventory: Sendable {
    package var instanceID: String
    package var instanceName: String
    package var nodes: [NodeView] = []
    /// The nodes that answered their `/status` in this poll.
    package var respondingNodes: Set<String> = []
    /// VMs and containers together, by VMID.
    package var guests: [GuestView] = []
    package var storage: [StorageView] = []
    package var physicalDisks: [PhysicalDiskView] = []
    /// The cluster's Ceph, when it has one; it replaces what host agents report for the same fsid.
    package var ceph: CephClusterView?
    package var replicationJobs: [ReplicationJobView] = []
    package var backups = StateSnapshot.PVEBackups()
    /// The parts the last poll could not refresh.
    package var staleData: [StaleDataView] = []

    /// A node counts as offline only after this long without an answer.
    static let nodeOfflineGrace: TimeInterval = 60

    package init(instanceID: String, instanceName: String) {
        self.instanceID = instanceID
        self.instanceName = instanceName
    }

    /// Whether `other` has the same nodes and guests under the same names: what links to host
    /// agents depend on (`ProxmoxHostLinker`).
    func hasSameNames(as other: PVEInventory) -> Bool {
        nodes.count == other.nodes.count && guests.count == other.guests.count
            && zip(nodes, other.nodes).allSatisfy { $0.id == $1.id && $0.node == $1.node }
            && zip(guests, other.guests).allSatisfy { $0.id == $1.id && $0.name == $1.name && $0.template == $1.template }
    }
}

/// What the PBS poller hands the state after a successful poll.
package struct PBSInventory: Sendable {
    package var instanceID: String
    package var instanceName: String
    package var server: PBSInstanceView
    package var backups: [PBSBackupView]
    /// The parts the last poll could not refresh.
    package var staleData: [StaleDataView] = []

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(instanceID: String, instanceName: String, server: PBSInstanceView, backups: [PBSBackupView]) {
        self.instanceID = instanceID
        self.instanceName = instanceName
        self.server = server
        self.backups = backups
    }
}

/// What the PMG poller hands the state after a successful poll.
package struct PMGInventory: Sendable {
    package var instanceID: String
    package var instanceName: String
    package var server: PMGInstanceView
    /// The parts the last poll could not refresh.
    package var staleData: [StaleDataView] = []

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(instanceID: String, instanceName: String, server: PMGInstanceView) {
        self.instanceID = instanceID
        self.instanceName = instanceName
        self.server = server
    }
}

import AgentProtocol
import Foundation

/// What one poll of a PVE instance saw, before it is merged into the state.
struct PVEPollResult: Sendable {
    var clusterName: String?
    var quorate: Bool?
    var nodes: [PVEAPI.Node] = []
    /// Per node: its `/status`, or the error that node answered with.
    var nodeStatus: [String: PVEAPI.NodeStatus] = [:]
    var unreachableNodes: Set<String> = []
    var guests: [PVEAPI.Guest] = []
    /// Per node.
    var storage: [String: [PVEAPI.Storage]] = [:]
    /// `/cluster/ceph/status`: the JSON of `ceph status`, passed through by PVE.
    var ceph: CephStatusOutput?
    /// Per node; nil when not refreshed this cycle (kept from before).
    var disks: [String: [PVEAPI.Disk]]?
    /// nil when not refreshed this cycle (kept from before).
    var backups: PVEBackupData?
    /// API requests this poll made.
    var requests = 0
}

/// Backup tasks, backup files on storage and guest snapshots.
struct PVEBackupData: Sendable {
    var tasks: [PVEAPI.Task] = []
    /// (node, storage, item)
    var storageBackups: [(node: String, storage: String, item: PVEAPI.StorageContent)] = []
    /// (node, guest type, vmid, snapshot)
    var snapshots: [(node: String, type: String, vmid: Int, snapshot: PVEAPI.Snapshot)] = []
}

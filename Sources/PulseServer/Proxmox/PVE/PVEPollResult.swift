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
    /// `/nodes/{node}/ceph/pool` of the first node that answered, with the Ceph status.
    var cephPools: [PVEAPI.CephPool]?
    /// Per node; nil when not refreshed this cycle (kept from before).
    var disks: [String: [PVEAPI.Disk]]?
    /// nil when not refreshed this cycle (kept from before).
    var backups: PVEBackupData?
    /// Guest-agent details of the VMs read this cycle, by guest key `node:vmid`; a VM whose
    /// agent does not answer maps to an empty value.
    var guestDetails: [String: GuestAgentDetails] = [:]
    /// Snapshots of the guests read this cycle, by guest key (an empty list: none).
    var guestSnapshots: [String: [GuestSnapshot]] = [:]
    var replication: [PVEAPI.ReplicationJob] = []
    /// Job ID → its state on the node it runs from.
    var replicationStatus: [String: PVEAPI.ReplicationStatus] = [:]
    /// Per node; nil when not refreshed this cycle (with the disks).
    var zfsPools: [String: [PVEAPI.ZFSPool]]?
    /// Storage ID → ZFS pool (`rpool/data`), from `/storage`, read with the disks.
    var zfsStoragePools: [String: String]?
    /// API requests this poll made.
    var requests = 0
}

/// Backup tasks and backup files on storage.
struct PVEBackupData: Sendable {
    var tasks: [PVEAPI.Task] = []
    /// (node, storage, item)
    var storageBackups: [(node: String, storage: String, item: PVEAPI.StorageContent)] = []
}

/// What a VM's QEMU guest agent said about it; all nil when the agent does not answer.
struct GuestAgentDetails: Sendable {
    var os: PVEAPI.GuestOSInfo?
    var interfaces: [PVEAPI.GuestInterface]?
    var filesystems: [PVEAPI.GuestFilesystem]?
}

/// One snapshot of one guest.
struct GuestSnapshot: Sendable {
    var node: String
    /// qemu or lxc
    var type: String
    var vmid: Int
    var snapshot: PVEAPI.Snapshot
}

package import AgentProtocol
import Foundation

/// What one poll of a PVE instance saw, before it is merged into the state.
package struct PVEPollResult: Sendable {
    package var clusterName: String?
    var quorate: Bool?
    package var nodes: [PVEAPI.Node] = []
    /// Per node: its `/status`, or the error that node answered with.
    var nodeStatus: [String: PVEAPI.NodeStatus] = [:]
    var unreachableNodes: Set<String> = []
    package var guests: [PVEAPI.Guest] = []
    /// Per node.
    package var storage: [String: [PVEAPI.Storage]] = [:]
    /// `/cluster/ceph/status`: the JSON of `ceph status`, passed through by PVE.
    package var ceph: CephStatusOutput?
    /// `/nodes/{node}/ceph/pool` of the first node that answered, with the Ceph status.
    var cephPools: [PVEAPI.CephPool]?
    /// Per node; nil when not refreshed this cycle (kept from before).
    package var disks: [String: [PVEAPI.Disk]]?
    /// nil when not refreshed this cycle (kept from before).
    package var backups: PVEBackupData?
    /// Guest-agent details of the VMs read this cycle, by guest key `node:vmid`; a VM whose
    /// agent does not answer maps to an empty value.
    var guestDetails: [String: GuestAgentDetails] = [:]
    /// Snapshots of the guests read this cycle, by guest key (an empty list: none).
    package var guestSnapshots: [String: [GuestSnapshot]] = [:]
    var replication: [PVEAPI.ReplicationJob] = []
    /// Job ID → its state on the node it runs from.
    var replicationStatus: [String: PVEAPI.ReplicationStatus] = [:]
    /// Per node; nil when not refreshed this cycle (with the disks).
    var zfsPools: [String: [PVEAPI.ZFSPool]]?
    /// Storage ID → ZFS pool (`rpool/data`), from `/storage`, read with the disks.
    var zfsStoragePools: [String: String]?
    /// `storage:<node>`, `disks:<node>`, `ceph`, `backups`: a failed one keeps its last good values, marked stale.
    package var parts = PollParts()
    /// API requests this poll made.
    package var requests = 0

}

/// Backup tasks and backup files on storage.
package struct PVEBackupData: Sendable {
    package var tasks: [PVEAPI.Task] = []
    /// (node, storage, item)
    package var storageBackups: [(node: String, storage: String, item: PVEAPI.StorageContent)] = []
}

/// What a VM's QEMU guest agent said about it; all nil when the agent does not answer.
package struct GuestAgentDetails: Sendable {
    package var os: PVEAPI.GuestOSInfo?
    var interfaces: [PVEAPI.GuestInterface]?
    var filesystems: [PVEAPI.GuestFilesystem]?
}

/// One snapshot of one guest.
package struct GuestSnapshot: Sendable {
    package var node: String
    /// qemu or lxc
    package var type: String
    package var vmid: Int
    package var snapshot: PVEAPI.Snapshot
}

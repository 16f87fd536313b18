/// The parts of PVE API replies the poller reads (`/api2/json`, PVE 8/9). Every field is
/// optional and numbers are loose: Proxmox omits keys freely and writes some numbers as strings.
package enum PVEAPI {
    /// `/nodes`
    package struct Node: Decodable, Sendable {
        package let node: String
        package let status: String?
        package let cpu: LooseNumber?
        let maxcpu: LooseNumber?
        package let mem: LooseNumber?
        package let maxmem: LooseNumber?
        package let disk: LooseNumber?
        package let maxdisk: LooseNumber?
        package let uptime: LooseNumber?
    }

    /// `/cluster/status`: one `cluster` entry (absent on a single node) and one per node.
    package struct ClusterStatusEntry: Decodable, Sendable {
        package let type: String
        package let id: String?
        package let name: String?
        /// A node entry's number in the cluster.
        package let nodeid: LooseNumber?
        let quorate: LooseNumber?
        package let online: LooseNumber?
        package let ip: String?
    }

    /// `/nodes/{node}/status`
    package struct NodeStatus: Decodable, Sendable {
        package struct Memory: Decodable, Sendable {
            package let total: LooseNumber?
            package let used: LooseNumber?
            package let free: LooseNumber?
            package let available: LooseNumber?
        }
        package struct CPUInfo: Decodable, Sendable {
            package let model: String?
            package let cores: LooseNumber?
            package let sockets: LooseNumber?
            package let cpus: LooseNumber?
            package let mhz: LooseNumber?
        }
        package struct Kernel: Decodable, Sendable {
            package let release: String?
        }
        package let cpu: LooseNumber?
        let loadavg: [LooseNumber]?
        package let memory: Memory?
        let swap: Memory?
        let rootfs: Memory?
        package let uptime: LooseNumber?
        let kversion: String?
        let currentKernel: Kernel?
        let pveversion: String?
        let cpuinfo: CPUInfo?

        package enum CodingKeys: String, CodingKey {
            case cpu, loadavg, memory, swap, rootfs, uptime, kversion, pveversion, cpuinfo
            case currentKernel = "current-kernel"
        }
    }

    /// `/cluster/resources?type=vm` and `/nodes/{node}/qemu|lxc`
    package struct Guest: Decodable, Sendable {
        package let vmid: LooseNumber?
        package let type: String?
        package let node: String?
        package let name: String?
        package let status: String?
        package let template: LooseNumber?
        package let cpu: LooseNumber?
        let maxcpu: LooseNumber?
        package let cpus: LooseNumber?
        package let mem: LooseNumber?
        package let maxmem: LooseNumber?
        package let disk: LooseNumber?
        package let maxdisk: LooseNumber?
        package let diskread: LooseNumber?
        package let diskwrite: LooseNumber?
        package let netin: LooseNumber?
        package let netout: LooseNumber?
        package let uptime: LooseNumber?
        package let tags: String?
        package let lock: String?
    }

    /// `/nodes/{node}/storage`
    package struct Storage: Decodable, Sendable {
        package let storage: String
        package let type: String?
        package let content: String?
        package let enabled: LooseNumber?
        package let active: LooseNumber?
        package let shared: LooseNumber?
        package let total: LooseNumber?
        package let used: LooseNumber?
        package let avail: LooseNumber?
    }

    /// A guest-agent reply: `/nodes/{node}/qemu/{vmid}/agent/{command}` answers `{"result": …}`.
    package struct AgentResult<T: Decodable & Sendable>: Decodable, Sendable {
        package let result: T?
    }

    /// `agent/get-osinfo`
    package struct GuestOSInfo: Decodable, Sendable {
        package let name: String?
        let prettyName: String?
        package let version: String?
        let versionID: String?
        let kernelRelease: String?

        package enum CodingKeys: String, CodingKey {
            case name, version
            case prettyName = "pretty-name"
            case versionID = "version-id"
            case kernelRelease = "kernel-release"
        }
    }

    /// One entry of `agent/network-get-interfaces`
    package struct GuestInterface: Decodable, Sendable {
        package struct Address: Decodable, Sendable {
            package let ipAddress: String?
            package let prefix: LooseNumber?
            package enum CodingKeys: String, CodingKey {
                case prefix
                case ipAddress = "ip-address"
            }
        }
        package let name: String?
        let hardwareAddress: String?
        package let ipAddresses: [Address]?

        package enum CodingKeys: String, CodingKey {
            case name
            case hardwareAddress = "hardware-address"
            case ipAddresses = "ip-addresses"
        }
    }

    /// One entry of `agent/get-fsinfo`
    package struct GuestFilesystem: Decodable, Sendable {
        package let name: String?
        package let mountpoint: String?
        package let type: String?
        package let usedBytes: LooseNumber?
        package let totalBytes: LooseNumber?

        package enum CodingKeys: String, CodingKey {
            case name, mountpoint, type
            case usedBytes = "used-bytes"
            case totalBytes = "total-bytes"
        }
    }

    /// `/cluster/replication`: the configured jobs.
    package struct ReplicationJob: Decodable, Sendable {
        package let id: String
        package let guest: LooseNumber?
        package let target: String?
        package let type: String?
        package let schedule: String?
        package let disable: LooseNumber?
        package let comment: String?
    }

    /// `/nodes/{node}/ceph/pool`: the Ceph pools (`percent_used` is a 0–1 fraction).
    package struct CephPool: Decodable, Sendable {
        package let pool: LooseNumber?
        let pool_name: String?
        let bytes_used: LooseNumber?
        let percent_used: LooseNumber?
    }

    /// `/storage`: the cluster's storage configuration (for a ZFS storage, its pool).
    package struct StorageConfig: Decodable, Sendable {
        package let storage: String
        package let type: String?
        package let pool: String?
    }

    /// `/nodes/{node}/replication`: the state of the jobs whose source is that node.
    package struct ReplicationStatus: Decodable, Sendable {
        package let id: String
        let last_sync: LooseNumber?
        let next_sync: LooseNumber?
        let fail_count: LooseNumber?
        package let error: String?
        package let duration: LooseNumber?
    }

    /// `/nodes/{node}/disks/zfs`
    package struct ZFSPool: Decodable, Sendable {
        package let name: String
        package let size: LooseNumber?
        package let alloc: LooseNumber?
        package let free: LooseNumber?
        package let frag: LooseNumber?
        package let dedup: LooseNumber?
        package let health: String?
    }

    /// `/nodes/{node}/disks/list`
    package struct Disk: Decodable, Sendable {
        let devpath: String?
        package let model: String?
        package let serial: String?
        package let wwn: String?
        package let type: String?
        package let size: LooseNumber?
        package let health: String?
        package let wearout: LooseNumber?
        package let rpm: LooseNumber?
        package let used: String?
    }

    /// `/nodes/{node}/tasks?typefilter=vzdump`
    package struct Task: Decodable, Sendable {
        let upid: String
        package let node: String?
        package let type: String?
        package let id: String?
        package let status: String?
        let starttime: LooseNumber?
        let endtime: LooseNumber?
    }

    /// `/nodes/{node}/storage/{storage}/content?content=backup`
    package struct StorageContent: Decodable, Sendable {
        package struct Verification: Decodable, Sendable { let state: String? }
        package let volid: String
        package let content: String?
        package let format: String?
        package let size: LooseNumber?
        package let ctime: LooseNumber?
        package let vmid: LooseNumber?
        package let notes: String?
        package let protected: LooseNumber?
        let verification: Verification?
    }

    /// `/nodes/{node}/{qemu|lxc}/{vmid}/snapshot`
    package struct Snapshot: Decodable, Sendable {
        package let name: String
        let snaptime: LooseNumber?
        package let description: String?
        package let parent: String?
        package let vmstate: LooseNumber?
    }
}

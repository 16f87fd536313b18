/// The parts of PVE API replies the poller reads (`/api2/json`, PVE 8/9). Every field is
/// optional and numbers are loose: Proxmox omits keys freely and writes some numbers as strings.
enum PVEAPI {
    /// `/nodes`
    struct Node: Decodable, Sendable {
        let node: String
        let status: String?
        let cpu: LooseNumber?
        let maxcpu: LooseNumber?
        let mem: LooseNumber?
        let maxmem: LooseNumber?
        let disk: LooseNumber?
        let maxdisk: LooseNumber?
        let uptime: LooseNumber?
    }

    /// `/cluster/status`: one `cluster` entry (absent on a single node) and one per node.
    struct ClusterStatusEntry: Decodable, Sendable {
        let type: String
        let name: String?
        let quorate: LooseNumber?
        let online: LooseNumber?
        let ip: String?
    }

    /// `/nodes/{node}/status`
    struct NodeStatus: Decodable, Sendable {
        struct Memory: Decodable, Sendable {
            let total: LooseNumber?
            let used: LooseNumber?
            let free: LooseNumber?
            let available: LooseNumber?
        }
        struct CPUInfo: Decodable, Sendable {
            let model: String?
            let cores: LooseNumber?
            let sockets: LooseNumber?
            let cpus: LooseNumber?
            let mhz: LooseNumber?
        }
        struct Kernel: Decodable, Sendable {
            let release: String?
        }
        let cpu: LooseNumber?
        let loadavg: [LooseNumber]?
        let memory: Memory?
        let swap: Memory?
        let rootfs: Memory?
        let uptime: LooseNumber?
        let kversion: String?
        let currentKernel: Kernel?
        let pveversion: String?
        let cpuinfo: CPUInfo?

        enum CodingKeys: String, CodingKey {
            case cpu, loadavg, memory, swap, rootfs, uptime, kversion, pveversion, cpuinfo
            case currentKernel = "current-kernel"
        }
    }

    /// `/cluster/resources?type=vm` and `/nodes/{node}/qemu|lxc`
    struct Guest: Decodable, Sendable {
        let vmid: LooseNumber?
        let type: String?
        let node: String?
        let name: String?
        let status: String?
        let template: LooseNumber?
        let cpu: LooseNumber?
        let maxcpu: LooseNumber?
        let cpus: LooseNumber?
        let mem: LooseNumber?
        let maxmem: LooseNumber?
        let disk: LooseNumber?
        let maxdisk: LooseNumber?
        let diskread: LooseNumber?
        let diskwrite: LooseNumber?
        let netin: LooseNumber?
        let netout: LooseNumber?
        let uptime: LooseNumber?
        let tags: String?
        let lock: String?
    }

    /// `/nodes/{node}/storage`
    struct Storage: Decodable, Sendable {
        let storage: String
        let type: String?
        let content: String?
        let enabled: LooseNumber?
        let active: LooseNumber?
        let shared: LooseNumber?
        let total: LooseNumber?
        let used: LooseNumber?
        let avail: LooseNumber?
    }

    /// A guest-agent reply: `/nodes/{node}/qemu/{vmid}/agent/{command}` answers `{"result": …}`.
    struct AgentResult<T: Decodable & Sendable>: Decodable, Sendable {
        let result: T?
    }

    /// `agent/get-osinfo`
    struct GuestOSInfo: Decodable, Sendable {
        let name: String?
        let prettyName: String?
        let version: String?
        let versionID: String?
        let kernelRelease: String?

        enum CodingKeys: String, CodingKey {
            case name, version
            case prettyName = "pretty-name"
            case versionID = "version-id"
            case kernelRelease = "kernel-release"
        }
    }

    /// One entry of `agent/network-get-interfaces`
    struct GuestInterface: Decodable, Sendable {
        struct Address: Decodable, Sendable {
            let ipAddress: String?
            let prefix: LooseNumber?
            enum CodingKeys: String, CodingKey {
                case prefix
                case ipAddress = "ip-address"
            }
        }
        let name: String?
        let hardwareAddress: String?
        let ipAddresses: [Address]?

        enum CodingKeys: String, CodingKey {
            case name
            case hardwareAddress = "hardware-address"
            case ipAddresses = "ip-addresses"
        }
    }

    /// One entry of `agent/get-fsinfo`
    struct GuestFilesystem: Decodable, Sendable {
        let name: String?
        let mountpoint: String?
        let type: String?
        let usedBytes: LooseNumber?
        let totalBytes: LooseNumber?

        enum CodingKeys: String, CodingKey {
            case name, mountpoint, type
            case usedBytes = "used-bytes"
            case totalBytes = "total-bytes"
        }
    }

    /// `/cluster/replication`: the configured jobs.
    struct ReplicationJob: Decodable, Sendable {
        let id: String
        let guest: LooseNumber?
        let target: String?
        let type: String?
        let schedule: String?
        let disable: LooseNumber?
        let comment: String?
    }

    /// `/nodes/{node}/ceph/pool`: the Ceph pools (`percent_used` is a 0–1 fraction).
    struct CephPool: Decodable, Sendable {
        let pool: LooseNumber?
        let pool_name: String?
        let bytes_used: LooseNumber?
        let percent_used: LooseNumber?
    }

    /// `/storage`: the cluster's storage configuration (for a ZFS storage, its pool).
    struct StorageConfig: Decodable, Sendable {
        let storage: String
        let type: String?
        let pool: String?
    }

    /// `/nodes/{node}/replication`: the state of the jobs whose source is that node.
    struct ReplicationStatus: Decodable, Sendable {
        let id: String
        let last_sync: LooseNumber?
        let next_sync: LooseNumber?
        let fail_count: LooseNumber?
        let error: String?
        let duration: LooseNumber?
    }

    /// `/nodes/{node}/disks/zfs`
    struct ZFSPool: Decodable, Sendable {
        let name: String
        let size: LooseNumber?
        let alloc: LooseNumber?
        let free: LooseNumber?
        let frag: LooseNumber?
        let dedup: LooseNumber?
        let health: String?
    }

    /// `/nodes/{node}/disks/list`
    struct Disk: Decodable, Sendable {
        let devpath: String?
        let model: String?
        let serial: String?
        let wwn: String?
        let type: String?
        let size: LooseNumber?
        let health: String?
        let wearout: LooseNumber?
        let rpm: LooseNumber?
        let used: String?
    }

    /// `/nodes/{node}/tasks?typefilter=vzdump`
    struct Task: Decodable, Sendable {
        let upid: String
        let node: String?
        let type: String?
        let id: String?
        let status: String?
        let starttime: LooseNumber?
        let endtime: LooseNumber?
    }

    /// `/nodes/{node}/storage/{storage}/content?content=backup`
    struct StorageContent: Decodable, Sendable {
        struct Verification: Decodable, Sendable { let state: String? }
        let volid: String
        let content: String?
        let format: String?
        let size: LooseNumber?
        let ctime: LooseNumber?
        let vmid: LooseNumber?
        let notes: String?
        let protected: LooseNumber?
        let verification: Verification?
    }

    /// `/nodes/{node}/{qemu|lxc}/{vmid}/snapshot`
    struct Snapshot: Decodable, Sendable {
        let name: String
        let snaptime: LooseNumber?
        let description: String?
        let parent: String?
        let vmstate: LooseNumber?
    }
}

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

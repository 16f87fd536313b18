/// The PVE API replies (`data` of `/api2/json/…`) the demo cluster answers, in the API's own field
/// names and types: the poller decodes them exactly as it decodes a real cluster's.
enum PVEReply {
    /// `/nodes`
    struct Node: Encodable {
        var node: String
        var status: String
        var cpu: Double
        var maxcpu: Int
        var mem: UInt64
        var maxmem: UInt64
        var disk: UInt64
        var maxdisk: UInt64
        var uptime: Int64
        var type = "node"
    }

    /// `/cluster/status`
    struct ClusterStatusEntry: Encodable {
        var type: String
        var name: String
        var id: String
        var quorate: Int?
        var nodes: Int?
        var online: Int?
        var ip: String?
        var local: Int?
    }

    /// `/nodes/{node}/status`
    struct NodeStatus: Encodable {
        struct Memory: Encodable {
            var total: UInt64
            var used: UInt64
            var free: UInt64
            var available: UInt64?
        }
        struct CPUInfo: Encodable {
            var model: String
            var cores: Int
            var sockets: Int
            var cpus: Int
            var mhz: String
        }
        struct Kernel: Encodable {
            var release: String
        }
        var cpu: Double
        var loadavg: [String]
        var memory: Memory
        var swap: Memory
        var rootfs: Memory
        var uptime: Int64
        var kversion: String
        var currentKernel: Kernel
        var pveversion: String
        var cpuinfo: CPUInfo

        enum CodingKeys: String, CodingKey {
            case cpu, loadavg, memory, swap, rootfs, uptime, kversion, pveversion, cpuinfo
            case currentKernel = "current-kernel"
        }
    }

    /// `/cluster/resources?type=vm`
    struct Guest: Encodable {
        var id: String
        var vmid: Int
        var type: String
        var node: String
        var name: String
        var status: String
        var template = 0
        var cpu: Double
        var maxcpu: Int
        var mem: UInt64
        var maxmem: UInt64
        var disk: UInt64
        var maxdisk: UInt64
        var diskread: UInt64
        var diskwrite: UInt64
        var netin: UInt64
        var netout: UInt64
        var uptime: Int64
        var tags: String?
    }

    /// `/nodes/{node}/storage`
    struct Storage: Encodable {
        var storage: String
        var type: String
        var content: String
        var enabled = 1
        var active = 1
        var shared: Int
        var total: UInt64
        var used: UInt64
        var avail: UInt64
    }

    /// `/storage`
    struct StorageConfig: Encodable {
        var storage: String
        var type: String
        var pool: String?
    }

    /// `/nodes/{node}/disks/list`
    struct Disk: Encodable {
        var devpath: String
        var model: String
        var serial: String
        var wwn: String
        var type: String
        var size: UInt64
        var health: String
        var wearout: Int?
        var rpm: Int?
        var used: String
    }

    /// `/nodes/{node}/disks/zfs`
    struct ZFSPool: Encodable {
        var name: String
        var size: UInt64
        var alloc: UInt64
        var free: UInt64
        var frag: Int
        var dedup: Double
        var health: String
    }

    /// `/nodes/{node}/tasks?typefilter=vzdump`
    struct Task: Encodable {
        var upid: String
        var node: String
        var type = "vzdump"
        var id: String
        var user = "root@pam"
        var status: String
        var starttime: Int64
        var endtime: Int64
    }

    /// `/nodes/{node}/storage/{storage}/content?content=backup`
    struct StorageContent: Encodable {
        struct Verification: Encodable {
            var state: String
            var upid: String
        }
        var volid: String
        var content = "backup"
        var format: String
        var size: UInt64
        var ctime: Int64
        var vmid: Int
        var notes: String?
        var protected: Int?
        var verification: Verification?
    }

    /// `/nodes/{node}/{qemu|lxc}/{vmid}/snapshot`
    struct Snapshot: Encodable {
        var name: String
        var snaptime: Int64?
        var description: String
        var parent: String?
        var vmstate: Int?
    }

    /// A guest-agent command's reply.
    struct AgentResult<Value: Encodable>: Encodable {
        var result: Value
    }

    /// `agent/get-osinfo`
    struct OSInfo: Encodable {
        var id: String
        var name: String
        var prettyName: String
        var version: String
        var versionID: String
        var kernelRelease: String

        enum CodingKeys: String, CodingKey {
            case id, name, version
            case prettyName = "pretty-name"
            case versionID = "version-id"
            case kernelRelease = "kernel-release"
        }
    }

    /// `agent/network-get-interfaces`
    struct Interface: Encodable {
        struct Address: Encodable {
            var ipAddress: String
            var ipAddressType: String
            var prefix: Int
            enum CodingKeys: String, CodingKey {
                case prefix
                case ipAddress = "ip-address"
                case ipAddressType = "ip-address-type"
            }
        }
        var name: String
        var hardwareAddress: String
        var ipAddresses: [Address]

        enum CodingKeys: String, CodingKey {
            case name
            case hardwareAddress = "hardware-address"
            case ipAddresses = "ip-addresses"
        }
    }

    /// `agent/get-fsinfo`
    struct Filesystem: Encodable {
        var name: String
        var mountpoint: String
        var type: String
        var usedBytes: UInt64
        var totalBytes: UInt64

        enum CodingKeys: String, CodingKey {
            case name, mountpoint, type
            case usedBytes = "used-bytes"
            case totalBytes = "total-bytes"
        }
    }
}

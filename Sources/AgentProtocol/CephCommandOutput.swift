/// The parts of `ceph status --format json` Pulse reads: the agent from the CLI, the server from
/// PVE's `/cluster/ceph/status`, which passes the same JSON through. Every field is optional: the
/// shape moved between releases (before Octopus `osdmap` was nested one level deeper, and
/// `mgrmap` named the active manager; from Quincy on it only counts standbys).
public struct CephStatusOutput: Decodable, Sendable {
    struct Health: Decodable, Sendable {
        struct Check: Decodable, Sendable {
            struct Summary: Decodable, Sendable { let message: String? }
            let severity: String?
            let summary: Summary?
        }
        let status: String?
        let checks: [String: Check]?
    }

    struct MonitorMap: Decodable, Sendable {
        struct Monitor: Decodable, Sendable {
            let name: String?
            let rank: Int?
            let addr: String?
        }
        let epoch: Int?
        let numMons: Int?
        /// Only in releases before Octopus.
        let mons: [Monitor]?

        enum CodingKeys: String, CodingKey { case epoch, numMons = "num_mons", mons }
    }

    struct OSDMap: Decodable, Sendable {
        let epoch: Int?
        let numOsds: Int?
        let numUpOsds: Int?
        let numInOsds: Int?
        /// Releases before Octopus nest the counts in `osdmap.osdmap`.
        let nested: OSDCounts?

        struct OSDCounts: Decodable, Sendable {
            let epoch: Int?
            let numOsds: Int?
            let numUpOsds: Int?
            let numInOsds: Int?
            enum CodingKeys: String, CodingKey { case epoch, numOsds = "num_osds", numUpOsds = "num_up_osds", numInOsds = "num_in_osds" }
        }

        enum CodingKeys: String, CodingKey {
            case epoch, numOsds = "num_osds", numUpOsds = "num_up_osds", numInOsds = "num_in_osds", nested = "osdmap"
        }
    }

    struct PGMap: Decodable, Sendable {
        let numPgs: Int?
        let dataBytes: UInt64?
        let bytesUsed: UInt64?
        let bytesAvail: UInt64?
        let bytesTotal: UInt64?
        let degradedRatio: Double?
        let misplacedRatio: Double?
        let readBytesSec: UInt64?
        let writeBytesSec: UInt64?
        let readOpPerSec: UInt64?
        let writeOpPerSec: UInt64?

        enum CodingKeys: String, CodingKey {
            case numPgs = "num_pgs", dataBytes = "data_bytes", bytesUsed = "bytes_used", bytesAvail = "bytes_avail"
            case bytesTotal = "bytes_total", degradedRatio = "degraded_ratio", misplacedRatio = "misplaced_ratio"
            case readBytesSec = "read_bytes_sec", writeBytesSec = "write_bytes_sec"
            case readOpPerSec = "read_op_per_sec", writeOpPerSec = "write_op_per_sec"
        }
    }

    struct ManagerMap: Decodable, Sendable {
        struct Standby: Decodable, Sendable { let name: String? }
        let available: Bool?
        let numStandbys: Int?
        /// Only in releases before Quincy.
        let activeName: String?
        let standbys: [Standby]?

        enum CodingKeys: String, CodingKey { case available, numStandbys = "num_standbys", activeName = "active_name", standbys }
    }

    struct ServiceMap: Decodable, Sendable {
        struct Service: Decodable, Sendable {
            /// Daemon name → details, plus a `summary` entry that is not a daemon.
            let daemons: [String: IgnoredValue]?
        }
        let services: [String: Service]?
    }

    let fsid: String?
    let health: Health?
    let quorumNames: [String]?
    let monmap: MonitorMap?
    let osdmap: OSDMap?
    let pgmap: PGMap?
    let mgrmap: ManagerMap?
    let servicemap: ServiceMap?

    enum CodingKeys: String, CodingKey {
        case fsid, health, quorumNames = "quorum_names", monmap, osdmap, pgmap, mgrmap, servicemap
    }
}

/// The parts of `ceph df --format json` the agent reports: per-pool usage.
public struct CephDFOutput: Decodable, Sendable {
    struct Pool: Decodable, Sendable {
        struct Stats: Decodable, Sendable {
            let objects: UInt64?
            let bytesUsed: UInt64?
            /// A fraction, 0–1.
            let percentUsed: Double?
            let maxAvail: UInt64?
            enum CodingKeys: String, CodingKey {
                case objects, bytesUsed = "bytes_used", percentUsed = "percent_used", maxAvail = "max_avail"
            }
        }
        let name: String?
        let id: Int?
        let stats: Stats?
    }
    let pools: [Pool]?
}

/// Any JSON value, skipped.
public struct IgnoredValue: Decodable, Sendable {
    public init(from decoder: any Decoder) throws {}
}

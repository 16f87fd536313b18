/// Ceph monitors (`ceph.monMap`).
public struct CephMonitorMap: Codable, Sendable, Equatable {
    /// Monitor map epoch.
    public var epoch: Int
    /// Number of monitors.
    public var numMons: Int
    /// The monitors.
    public var monitors: [CephMonitor]?

    public init(epoch: Int = 0, numMons: Int = 0, monitors: [CephMonitor]? = nil) {
        self.epoch = epoch
        self.numMons = numMons
        self.monitors = monitors
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try c.decode(.epoch, default: 0)
        numMons = try c.decode(.numMons, default: 0)
        monitors = try c.decodeIfPresent(.monitors)
    }
}

/// One Ceph monitor.
public struct CephMonitor: Codable, Sendable, Equatable {
    /// Monitor name, usually the node name.
    public var name: String
    /// Rank in the monitor map.
    public var rank: Int
    /// Address, e.g. `10.0.0.11:6789/0`.
    public var addr: String?
    /// Status, e.g. `leader`, `peon`.
    public var status: String?

    public init(name: String, rank: Int, addr: String? = nil, status: String? = nil) {
        self.name = name
        self.rank = rank
        self.addr = addr
        self.status = status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(.name, default: "")
        rank = try c.decode(.rank, default: 0)
        addr = try c.decodeIfPresent(.addr)
        status = try c.decodeIfPresent(.status)
    }
}

/// Ceph managers (`ceph.mgrMap`).
public struct CephManagerMap: Codable, Sendable, Equatable {
    /// Whether an active manager is available.
    public var available: Bool
    /// Number of managers (active plus standbys).
    public var numMgrs: Int
    /// Name of the active manager.
    public var activeMgr: String?
    /// Number of standby managers.
    public var standbys: Int

    public init(available: Bool = false, numMgrs: Int = 0, activeMgr: String? = nil, standbys: Int = 0) {
        self.available = available
        self.numMgrs = numMgrs
        self.activeMgr = activeMgr
        self.standbys = standbys
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        available = try c.decode(.available, default: false)
        numMgrs = try c.decode(.numMgrs, default: 0)
        activeMgr = try c.decodeIfPresent(.activeMgr)
        standbys = try c.decode(.standbys, default: 0)
    }
}

/// Ceph OSD counts (`ceph.osdMap`).
public struct CephOSDMap: Codable, Sendable, Equatable {
    /// OSD map epoch.
    public var epoch: Int
    /// Number of OSDs.
    public var numOsds: Int
    /// OSDs up.
    public var numUp: Int
    /// OSDs in.
    public var numIn: Int
    /// OSDs down.
    public var numDown: Int?
    /// OSDs out.
    public var numOut: Int?

    public init(
        epoch: Int = 0, numOsds: Int = 0, numUp: Int = 0, numIn: Int = 0, numDown: Int? = nil, numOut: Int? = nil
    ) {
        self.epoch = epoch
        self.numOsds = numOsds
        self.numUp = numUp
        self.numIn = numIn
        self.numDown = numDown
        self.numOut = numOut
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try c.decode(.epoch, default: 0)
        numOsds = try c.decode(.numOsds, default: 0)
        numUp = try c.decode(.numUp, default: 0)
        numIn = try c.decode(.numIn, default: 0)
        numDown = try c.decodeIfPresent(.numDown)
        numOut = try c.decodeIfPresent(.numOut)
    }
}

/// Ceph placement groups, raw capacity and client I/O (`ceph.pgMap`).
public struct CephPGMap: Codable, Sendable, Equatable {
    /// Number of placement groups.
    public var numPgs: Int
    /// Raw capacity in bytes.
    public var bytesTotal: UInt64
    /// Raw bytes used.
    public var bytesUsed: UInt64
    /// Raw bytes available.
    public var bytesAvailable: UInt64
    /// Logical (stored) bytes before replication.
    public var dataBytes: UInt64?
    /// Raw usage as a percentage, 0–100.
    public var usagePercent: Double
    /// Fraction of objects degraded, 0–1.
    public var degradedRatio: Double?
    /// Fraction of objects misplaced, 0–1.
    public var misplacedRatio: Double?
    /// Client read throughput in bytes per second.
    public var readBytesPerSec: UInt64?
    /// Client write throughput in bytes per second.
    public var writeBytesPerSec: UInt64?
    /// Client read operations per second.
    public var readOpsPerSec: UInt64?
    /// Client write operations per second.
    public var writeOpsPerSec: UInt64?

    public init(
        numPgs: Int = 0,
        bytesTotal: UInt64 = 0,
        bytesUsed: UInt64 = 0,
        bytesAvailable: UInt64 = 0,
        dataBytes: UInt64? = nil,
        usagePercent: Double = 0,
        degradedRatio: Double? = nil,
        misplacedRatio: Double? = nil,
        readBytesPerSec: UInt64? = nil,
        writeBytesPerSec: UInt64? = nil,
        readOpsPerSec: UInt64? = nil,
        writeOpsPerSec: UInt64? = nil
    ) {
        self.numPgs = numPgs
        self.bytesTotal = bytesTotal
        self.bytesUsed = bytesUsed
        self.bytesAvailable = bytesAvailable
        self.dataBytes = dataBytes
        self.usagePercent = usagePercent
        self.degradedRatio = degradedRatio
        self.misplacedRatio = misplacedRatio
        self.readBytesPerSec = readBytesPerSec
        self.writeBytesPerSec = writeBytesPerSec
        self.readOpsPerSec = readOpsPerSec
        self.writeOpsPerSec = writeOpsPerSec
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numPgs = try c.decode(.numPgs, default: 0)
        bytesTotal = try c.decode(.bytesTotal, default: 0)
        bytesUsed = try c.decode(.bytesUsed, default: 0)
        bytesAvailable = try c.decode(.bytesAvailable, default: 0)
        dataBytes = try c.decodeIfPresent(.dataBytes)
        usagePercent = try c.decode(.usagePercent, default: 0)
        degradedRatio = try c.decodeIfPresent(.degradedRatio)
        misplacedRatio = try c.decodeIfPresent(.misplacedRatio)
        readBytesPerSec = try c.decodeIfPresent(.readBytesPerSec)
        writeBytesPerSec = try c.decodeIfPresent(.writeBytesPerSec)
        readOpsPerSec = try c.decodeIfPresent(.readOpsPerSec)
        writeOpsPerSec = try c.decodeIfPresent(.writeOpsPerSec)
    }
}

/// Usage of one Ceph pool (`ceph.pools[]`).
public struct CephPool: Codable, Sendable, Equatable {
    /// Pool ID.
    public var id: Int
    /// Pool name.
    public var name: String
    /// Bytes stored.
    public var bytesUsed: UInt64
    /// Bytes the pool can still take (`max_avail`).
    public var bytesAvailable: UInt64
    /// Number of objects.
    public var objects: UInt64
    /// Used percentage, 0–100.
    public var percentUsed: Double

    public init(
        id: Int, name: String, bytesUsed: UInt64 = 0, bytesAvailable: UInt64 = 0, objects: UInt64 = 0,
        percentUsed: Double = 0
    ) {
        self.id = id
        self.name = name
        self.bytesUsed = bytesUsed
        self.bytesAvailable = bytesAvailable
        self.objects = objects
        self.percentUsed = percentUsed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: 0)
        name = try c.decode(.name, default: "")
        bytesUsed = try c.decode(.bytesUsed, default: 0)
        bytesAvailable = try c.decode(.bytesAvailable, default: 0)
        objects = try c.decode(.objects, default: 0)
        percentUsed = try c.decode(.percentUsed, default: 0)
    }
}

/// Daemon counts of one Ceph service type (`ceph.services[]`).
public struct CephService: Codable, Sendable, Equatable {
    /// `mon`, `mgr`, `osd`, `mds` or `rgw`.
    public var type: String
    /// Daemons running.
    public var running: Int
    /// Daemons configured.
    public var total: Int
    /// Daemon names.
    public var daemons: [String]?

    public init(type: String, running: Int, total: Int, daemons: [String]? = nil) {
        self.type = type
        self.running = running
        self.total = total
        self.daemons = daemons
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(.type, default: "")
        running = try c.decode(.running, default: 0)
        total = try c.decode(.total, default: 0)
        daemons = try c.decodeIfPresent(.daemons)
    }
}

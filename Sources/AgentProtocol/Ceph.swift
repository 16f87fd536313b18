/// Status of the Ceph cluster a host belongs to (`report.ceph`), from `ceph status` and `ceph df`.
public struct CephCluster: Codable, Sendable, Equatable {
    /// Cluster FSID (a UUID).
    public var fsid: String
    /// Overall health and its failing checks.
    public var health: CephHealth
    /// Monitors; always written.
    public var monMap: CephMonitorMap
    /// Managers; always written.
    public var mgrMap: CephManagerMap
    /// OSD counts; always written.
    public var osdMap: CephOSDMap
    /// Placement groups, capacity and client I/O; always written.
    public var pgMap: CephPGMap
    /// Per-pool usage from `ceph df`.
    public var pools: [CephPool]?
    /// Daemon counts per service type.
    public var services: [CephService]?
    /// When the agent ran `ceph status`, as an RFC 3339 string with second precision (kept as text on the
    /// wire, as Pulse v5 does).
    public var collectedAt: String

    public init(
        fsid: String,
        health: CephHealth,
        monMap: CephMonitorMap = CephMonitorMap(),
        mgrMap: CephManagerMap = CephManagerMap(),
        osdMap: CephOSDMap = CephOSDMap(),
        pgMap: CephPGMap = CephPGMap(),
        pools: [CephPool]? = nil,
        services: [CephService]? = nil,
        collectedAt: String
    ) {
        self.fsid = fsid
        self.health = health
        self.monMap = monMap
        self.mgrMap = mgrMap
        self.osdMap = osdMap
        self.pgMap = pgMap
        self.pools = pools
        self.services = services
        self.collectedAt = collectedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fsid = try c.decode(.fsid, default: "")
        health = try c.decode(.health, default: CephHealth(status: ""))
        monMap = try c.decode(.monMap, default: CephMonitorMap())
        mgrMap = try c.decode(.mgrMap, default: CephManagerMap())
        osdMap = try c.decode(.osdMap, default: CephOSDMap())
        pgMap = try c.decode(.pgMap, default: CephPGMap())
        pools = try c.decodeIfPresent(.pools)
        services = try c.decodeIfPresent(.services)
        collectedAt = try c.decode(.collectedAt, default: "")
    }
}

/// Ceph health: the overall status and the checks behind it.
public struct CephHealth: Codable, Sendable, Equatable {
    /// `HEALTH_OK`, `HEALTH_WARN` or `HEALTH_ERR`.
    public var status: String
    /// Failing health checks keyed by check name, e.g. `OSD_DOWN`, `PG_DEGRADED`.
    public var checks: [String: CephCheck]?
    /// Flat summary messages (older Ceph releases).
    public var summary: [CephHealthSummary]?

    public init(status: String, checks: [String: CephCheck]? = nil, summary: [CephHealthSummary]? = nil) {
        self.status = status
        self.checks = checks
        self.summary = summary
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(.status, default: "")
        checks = try c.decodeIfPresent(.checks)
        summary = try c.decodeIfPresent(.summary)
    }
}

/// One failing Ceph health check.
public struct CephCheck: Codable, Sendable, Equatable {
    /// `HEALTH_WARN` or `HEALTH_ERR`.
    public var severity: String
    /// One-line summary, e.g. `1 osds down`.
    public var message: String?
    /// Detail lines.
    public var detail: [String]?

    public init(severity: String, message: String? = nil, detail: [String]? = nil) {
        self.severity = severity
        self.message = message
        self.detail = detail
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        severity = try c.decode(.severity, default: "")
        message = try c.decodeIfPresent(.message)
        detail = try c.decodeIfPresent(.detail)
    }
}

/// One summary line of Ceph health.
public struct CephHealthSummary: Codable, Sendable, Equatable {
    /// `HEALTH_WARN` or `HEALTH_ERR`.
    public var severity: String
    /// The message.
    public var message: String

    public init(severity: String, message: String) {
        self.severity = severity
        self.message = message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        severity = try c.decode(.severity, default: "")
        message = try c.decode(.message, default: "")
    }
}

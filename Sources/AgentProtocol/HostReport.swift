#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One heartbeat of the host agent, the body of `POST /api/agents/host/report`.
///
/// Wire-compatible with Pulse v5 (`pkg/agents/host.Report`, including the v5.1.36 additions). Property
/// names are the JSON keys. Optionals are Go `omitempty` fields and are left out when `nil`; the other
/// fields are always written. Decoding behaves like Go: unknown keys are ignored and a missing or `null`
/// non-optional field decodes as its zero value, so checks such as "`host.hostname` is not empty" belong
/// to the receiver.
public struct HostReport: Codable, Sendable, Equatable {
    /// The reporting agent.
    public var agent: HostAgentInfo
    /// Identity and platform of the monitored machine.
    public var host: HostInfo
    /// CPU and memory; always written, possibly as `{"memory":{}}`.
    public var metrics: HostMetrics
    /// Mounted filesystems that passed the agent's filters (ZFS collapsed to one entry per pool).
    public var disks: [DiskUsage]?
    /// Cumulative I/O counters of whole disks; the server derives rates from consecutive reports.
    public var diskIO: [DiskIOCounters]?
    /// Non-loopback interfaces that have addresses.
    public var network: [NetworkInterface]?
    /// Temperatures, fans, power and SMART; always written, possibly as `{}`.
    public var sensors: Sensors
    /// Linux md RAID arrays.
    public var raid: [RAIDArray]?
    /// Ceph cluster status, when the host runs Ceph.
    public var ceph: CephCluster?
    /// User-supplied tags (`--tag`).
    public var tags: [String]?
    /// When the agent collected the report. Go's zero time means "unset"; the server then uses its own clock.
    public var timestamp: Date
    /// An optional per-report identifier chosen by the agent.
    public var sequenceId: String?

    public init(
        agent: HostAgentInfo,
        host: HostInfo,
        metrics: HostMetrics = HostMetrics(),
        disks: [DiskUsage]? = nil,
        diskIO: [DiskIOCounters]? = nil,
        network: [NetworkInterface]? = nil,
        sensors: Sensors = Sensors(),
        raid: [RAIDArray]? = nil,
        ceph: CephCluster? = nil,
        tags: [String]? = nil,
        timestamp: Date,
        sequenceId: String? = nil
    ) {
        self.agent = agent
        self.host = host
        self.metrics = metrics
        self.disks = disks
        self.diskIO = diskIO
        self.network = network
        self.sensors = sensors
        self.raid = raid
        self.ceph = ceph
        self.tags = tags
        self.timestamp = timestamp
        self.sequenceId = sequenceId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agent = try c.decode(.agent, default: HostAgentInfo(id: ""))
        host = try c.decode(.host, default: HostInfo(hostname: ""))
        metrics = try c.decode(.metrics, default: HostMetrics())
        disks = try c.decodeIfPresent(.disks)
        diskIO = try c.decodeIfPresent(.diskIO)
        network = try c.decodeIfPresent(.network)
        sensors = try c.decode(.sensors, default: Sensors())
        raid = try c.decodeIfPresent(.raid)
        ceph = try c.decodeIfPresent(.ceph)
        tags = try c.decodeIfPresent(.tags)
        timestamp = try c.decode(.timestamp, default: .goZeroTime)
        sequenceId = try c.decodeIfPresent(.sequenceId)
    }
}

/// The host agent's description of itself (`report.agent`).
public struct HostAgentInfo: Codable, Sendable, Equatable {
    /// The value of ``type`` sent by the unified `pulse-agent`; any other value (or none) marks a legacy agent.
    public static let unifiedType = "unified"

    /// Stable agent ID (machine-id as a UUID, `mac-<hex>`, or the hostname; `--agent-id` overrides).
    public var id: String
    /// Agent version, e.g. `5.1.36`.
    public var version: String?
    /// `unified` for the unified agent; absent for the legacy v5.0 `pulse-host-agent`.
    public var type: String?
    /// Reporting interval in seconds.
    public var intervalSeconds: Int?
    /// Hostname as the agent sees it.
    public var hostname: String?
    /// The previous version, in the first report after a self-update.
    public var updatedFrom: String?
    /// Whether the agent accepts remote (AI) command execution (`--enable-commands`).
    public var commandsEnabled: Bool?
    /// Disk exclusion patterns from `--disk-exclude`.
    public var diskExclude: [String]?
    /// What the agent runs with after applying the server's settings, every field filled; absent
    /// from Pulse v5 agents (a v5 server ignores it).
    public var appliedSettings: HostAgentSettings?

    public init(
        id: String,
        version: String? = nil,
        type: String? = nil,
        intervalSeconds: Int? = nil,
        hostname: String? = nil,
        updatedFrom: String? = nil,
        commandsEnabled: Bool? = nil,
        diskExclude: [String]? = nil,
        appliedSettings: HostAgentSettings? = nil
    ) {
        self.id = id
        self.version = version
        self.type = type
        self.intervalSeconds = intervalSeconds
        self.hostname = hostname
        self.updatedFrom = updatedFrom
        self.commandsEnabled = commandsEnabled
        self.diskExclude = diskExclude
        self.appliedSettings = appliedSettings
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        version = try c.decodeIfPresent(.version)
        type = try c.decodeIfPresent(.type)
        intervalSeconds = try c.decodeIfPresent(.intervalSeconds)
        hostname = try c.decodeIfPresent(.hostname)
        updatedFrom = try c.decodeIfPresent(.updatedFrom)
        commandsEnabled = try c.decodeIfPresent(.commandsEnabled)
        diskExclude = try c.decodeIfPresent(.diskExclude)
        appliedSettings = try c.decodeIfPresent(.appliedSettings)
    }

    /// Whether the report comes from the unified agent rather than a legacy host agent.
    public var isUnified: Bool {
        type == Self.unifiedType
    }
}

/// Identity and platform details of the monitored machine (`report.host`).
public struct HostInfo: Codable, Sendable, Equatable {
    /// Agent-chosen host ID; the server's first choice when deriving the host's ID.
    public var id: String?
    /// Hostname. Required by the server (an empty value is rejected as `invalid_report`).
    public var hostname: String
    /// Human-friendly name to show instead of the hostname.
    public var displayName: String?
    /// `/etc/machine-id` (formatted as a UUID) or the platform equivalent.
    public var machineId: String?
    /// `linux`, `windows` or `macos`.
    public var platform: String?
    /// Distribution or OS name, e.g. `Debian GNU/Linux`.
    public var osName: String?
    /// OS version, e.g. `12`.
    public var osVersion: String?
    /// Kernel release, e.g. `6.1.0-18-amd64`.
    public var kernelVersion: String?
    /// CPU architecture, e.g. `x86_64` or `arm64`.
    public var architecture: String?
    /// CPU model name.
    public var cpuModel: String?
    /// Number of logical CPUs.
    public var cpuCount: Int?
    /// Seconds since boot.
    public var uptimeSeconds: Int64?
    /// Load averages over 1, 5 and 15 minutes.
    public var loadAverage: [Double]?
    /// The IP address the user asked the agent to report (`--report-ip`) on multi-NIC machines.
    public var reportIp: String?

    public init(
        id: String? = nil,
        hostname: String,
        displayName: String? = nil,
        machineId: String? = nil,
        platform: String? = nil,
        osName: String? = nil,
        osVersion: String? = nil,
        kernelVersion: String? = nil,
        architecture: String? = nil,
        cpuModel: String? = nil,
        cpuCount: Int? = nil,
        uptimeSeconds: Int64? = nil,
        loadAverage: [Double]? = nil,
        reportIp: String? = nil
    ) {
        self.id = id
        self.hostname = hostname
        self.displayName = displayName
        self.machineId = machineId
        self.platform = platform
        self.osName = osName
        self.osVersion = osVersion
        self.kernelVersion = kernelVersion
        self.architecture = architecture
        self.cpuModel = cpuModel
        self.cpuCount = cpuCount
        self.uptimeSeconds = uptimeSeconds
        self.loadAverage = loadAverage
        self.reportIp = reportIp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(.id)
        hostname = try c.decode(.hostname, default: "")
        displayName = try c.decodeIfPresent(.displayName)
        machineId = try c.decodeIfPresent(.machineId)
        platform = try c.decodeIfPresent(.platform)
        osName = try c.decodeIfPresent(.osName)
        osVersion = try c.decodeIfPresent(.osVersion)
        kernelVersion = try c.decodeIfPresent(.kernelVersion)
        architecture = try c.decodeIfPresent(.architecture)
        cpuModel = try c.decodeIfPresent(.cpuModel)
        cpuCount = try c.decodeIfPresent(.cpuCount)
        uptimeSeconds = try c.decodeIfPresent(.uptimeSeconds)
        loadAverage = try c.decodeIfPresent(.loadAverage)
        reportIp = try c.decodeIfPresent(.reportIp)
    }
}

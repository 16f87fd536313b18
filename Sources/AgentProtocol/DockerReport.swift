#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One heartbeat of the Docker (or Podman) module, the body of `POST /api/agents/docker/report`.
///
/// Wire-compatible with Pulse v5 (`pkg/agents/docker.Report`). Same conventions as ``HostReport``:
/// property names are the JSON keys, optionals are omitted when `nil`, and decoding fills missing or
/// `null` non-optional fields with Go zero values.
public struct DockerReport: Codable, Sendable, Equatable {
    /// The reporting agent.
    public var agent: AgentInfo
    /// The Docker host.
    public var host: DockerHostInfo
    /// Every container, running or not; always written.
    public var containers: [ContainerReport]
    /// Swarm services, when the node is a swarm manager.
    public var services: [SwarmService]?
    /// Swarm tasks, when the node is a swarm manager.
    public var tasks: [SwarmTask]?
    /// When the agent collected the report.
    public var timestamp: Date

    public init(
        agent: AgentInfo,
        host: DockerHostInfo,
        containers: [ContainerReport] = [],
        services: [SwarmService]? = nil,
        tasks: [SwarmTask]? = nil,
        timestamp: Date
    ) {
        self.agent = agent
        self.host = host
        self.containers = containers
        self.services = services
        self.tasks = tasks
        self.timestamp = timestamp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agent = try c.decode(.agent, default: AgentInfo(id: "", version: "", intervalSeconds: 0))
        host = try c.decode(.host, default: DockerHostInfo(hostname: ""))
        containers = try c.decode(.containers, default: [])
        services = try c.decodeIfPresent(.services)
        tasks = try c.decodeIfPresent(.tasks)
        timestamp = try c.decode(.timestamp, default: .goZeroTime)
    }
}

/// The machine running the container engine (`report.host`).
///
/// Memory, disks and network use the same types as the host report.
public struct DockerHostInfo: Codable, Sendable, Equatable {
    /// Hostname. Required by the server.
    public var hostname: String
    /// The engine's own name for the host (`docker info` Name).
    public var name: String?
    /// `/etc/machine-id`.
    public var machineId: String?
    /// Operating system, e.g. `Debian GNU/Linux 12 (bookworm)`.
    public var os: String?
    /// `docker` or `podman`.
    public var runtime: String?
    /// Engine version of the runtime, e.g. `4.3.1` for Podman.
    public var runtimeVersion: String?
    /// Kernel release.
    public var kernelVersion: String?
    /// CPU architecture, e.g. `x86_64`.
    public var architecture: String?
    /// Docker engine version (also set for Podman's Docker-compatible API).
    public var dockerVersion: String?
    /// Logical CPUs.
    public var totalCpu: Int?
    /// Physical memory in bytes.
    public var totalMemoryBytes: Int64?
    /// Seconds since boot.
    public var uptimeSeconds: Int64?
    /// Swarm membership, when swarm is active or errored.
    public var swarm: SwarmInfo?
    /// Host CPU busy percentage, 0–100 for the whole machine.
    public var cpuUsagePercent: Double?
    /// Load averages over 1, 5 and 15 minutes.
    public var loadAverage: [Double]?
    /// Memory and swap; always written, possibly as `{}`.
    public var memory: MemoryMetrics
    /// Filesystems.
    public var disks: [DiskUsage]?
    /// Network interfaces.
    public var network: [NetworkInterface]?

    public init(
        hostname: String,
        name: String? = nil,
        machineId: String? = nil,
        os: String? = nil,
        runtime: String? = nil,
        runtimeVersion: String? = nil,
        kernelVersion: String? = nil,
        architecture: String? = nil,
        dockerVersion: String? = nil,
        totalCpu: Int? = nil,
        totalMemoryBytes: Int64? = nil,
        uptimeSeconds: Int64? = nil,
        swarm: SwarmInfo? = nil,
        cpuUsagePercent: Double? = nil,
        loadAverage: [Double]? = nil,
        memory: MemoryMetrics = MemoryMetrics(),
        disks: [DiskUsage]? = nil,
        network: [NetworkInterface]? = nil
    ) {
        self.hostname = hostname
        self.name = name
        self.machineId = machineId
        self.os = os
        self.runtime = runtime
        self.runtimeVersion = runtimeVersion
        self.kernelVersion = kernelVersion
        self.architecture = architecture
        self.dockerVersion = dockerVersion
        self.totalCpu = totalCpu
        self.totalMemoryBytes = totalMemoryBytes
        self.uptimeSeconds = uptimeSeconds
        self.swarm = swarm
        self.cpuUsagePercent = cpuUsagePercent
        self.loadAverage = loadAverage
        self.memory = memory
        self.disks = disks
        self.network = network
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try c.decode(.hostname, default: "")
        name = try c.decodeIfPresent(.name)
        machineId = try c.decodeIfPresent(.machineId)
        os = try c.decodeIfPresent(.os)
        runtime = try c.decodeIfPresent(.runtime)
        runtimeVersion = try c.decodeIfPresent(.runtimeVersion)
        kernelVersion = try c.decodeIfPresent(.kernelVersion)
        architecture = try c.decodeIfPresent(.architecture)
        dockerVersion = try c.decodeIfPresent(.dockerVersion)
        totalCpu = try c.decodeIfPresent(.totalCpu)
        totalMemoryBytes = try c.decodeIfPresent(.totalMemoryBytes)
        uptimeSeconds = try c.decodeIfPresent(.uptimeSeconds)
        swarm = try c.decodeIfPresent(.swarm)
        cpuUsagePercent = try c.decodeIfPresent(.cpuUsagePercent)
        loadAverage = try c.decodeIfPresent(.loadAverage)
        memory = try c.decode(.memory, default: MemoryMetrics())
        disks = try c.decodeIfPresent(.disks)
        network = try c.decodeIfPresent(.network)
    }
}

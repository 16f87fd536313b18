#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The state of one container at report time (`containers[]`).
public struct ContainerReport: Codable, Sendable, Equatable {
    /// Full container ID (64 hex characters).
    public var id: String
    /// Container name without the leading `/`.
    public var name: String
    /// Image reference as configured, e.g. `nginx:1.25`.
    public var image: String
    /// Digest of the image the container runs, e.g. `sha256:…`; used for update detection.
    public var imageDigest: String?
    /// When the container was created.
    public var createdAt: Date
    /// Engine state: `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    public var state: String
    /// Human-readable status from the engine, e.g. `Up 2 hours (healthy)`, `Exited (137) 5 minutes ago`.
    public var status: String
    /// Health check result: `healthy`, `unhealthy` or `starting`; absent without a health check.
    public var health: String?
    /// CPU usage in percent of one core: 100 = one full core, 250 = two and a half cores.
    public var cpuPercent: Double
    /// Memory in use in bytes, excluding page cache (usage − cache).
    public var memoryUsageBytes: Int64
    /// Memory limit in bytes; the host's memory when the container has no limit.
    public var memoryLimitBytes: Int64
    /// ``memoryUsageBytes`` as a percentage of ``memoryLimitBytes``, 0–100.
    public var memoryPercent: Double
    /// Seconds since the container last started; 0 when not running.
    public var uptimeSeconds: Int64
    /// Restarts performed by the engine's restart policy.
    public var restartCount: Int
    /// Exit code of the last run (137 = killed by SIGKILL, typically the OOM killer); 0 while running.
    public var exitCode: Int
    /// When the container last started.
    public var startedAt: Date?
    /// When the container last stopped; only sent when it is not running.
    public var finishedAt: Date?
    /// Port mappings.
    public var ports: [ContainerPort]?
    /// Container labels.
    public var labels: [String: String]?
    /// Environment as `KEY=value` strings (the agent may mask secret values).
    public var env: [String]?
    /// Networks the container is attached to.
    public var networks: [ContainerNetwork]?
    /// Size of the writable layer in bytes.
    public var writableLayerBytes: Int64?
    /// Size of the root filesystem (image plus writable layer) in bytes.
    public var rootFilesystemBytes: Int64?
    /// Cumulative block I/O.
    public var blockIo: ContainerBlockIO?
    /// Volumes and bind mounts.
    public var mounts: [ContainerMount]?
    /// Podman-specific metadata; absent on Docker.
    @Boxed public var podman: PodmanMetadata?
    /// Result of the agent's registry check for a newer image.
    @Boxed public var updateStatus: ImageUpdateStatus?

    public init(
        id: String,
        name: String,
        image: String,
        imageDigest: String? = nil,
        createdAt: Date,
        state: String,
        status: String,
        health: String? = nil,
        cpuPercent: Double = 0,
        memoryUsageBytes: Int64 = 0,
        memoryLimitBytes: Int64 = 0,
        memoryPercent: Double = 0,
        uptimeSeconds: Int64 = 0,
        restartCount: Int = 0,
        exitCode: Int = 0,
        startedAt: Date? = nil,
        finishedAt: Date? = nil,
        ports: [ContainerPort]? = nil,
        labels: [String: String]? = nil,
        env: [String]? = nil,
        networks: [ContainerNetwork]? = nil,
        writableLayerBytes: Int64? = nil,
        rootFilesystemBytes: Int64? = nil,
        blockIo: ContainerBlockIO? = nil,
        mounts: [ContainerMount]? = nil,
        podman: PodmanMetadata? = nil,
        updateStatus: ImageUpdateStatus? = nil
    ) {
        self.id = id
        self.name = name
        self.image = image
        self.imageDigest = imageDigest
        self.createdAt = createdAt
        self.state = state
        self.status = status
        self.health = health
        self.cpuPercent = cpuPercent
        self.memoryUsageBytes = memoryUsageBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.memoryPercent = memoryPercent
        self.uptimeSeconds = uptimeSeconds
        self.restartCount = restartCount
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.ports = ports
        self.labels = labels
        self.env = env
        self.networks = networks
        self.writableLayerBytes = writableLayerBytes
        self.rootFilesystemBytes = rootFilesystemBytes
        self.blockIo = blockIo
        self.mounts = mounts
        self.podman = podman
        self.updateStatus = updateStatus
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        name = try c.decode(.name, default: "")
        image = try c.decode(.image, default: "")
        imageDigest = try c.decodeIfPresent(.imageDigest)
        createdAt = try c.decode(.createdAt, default: .goZeroTime)
        state = try c.decode(.state, default: "")
        status = try c.decode(.status, default: "")
        health = try c.decodeIfPresent(.health)
        cpuPercent = try c.decode(.cpuPercent, default: 0)
        memoryUsageBytes = try c.decode(.memoryUsageBytes, default: 0)
        memoryLimitBytes = try c.decode(.memoryLimitBytes, default: 0)
        memoryPercent = try c.decode(.memoryPercent, default: 0)
        uptimeSeconds = try c.decode(.uptimeSeconds, default: 0)
        restartCount = try c.decode(.restartCount, default: 0)
        exitCode = try c.decode(.exitCode, default: 0)
        startedAt = try c.decodeIfPresent(.startedAt)
        finishedAt = try c.decodeIfPresent(.finishedAt)
        ports = try c.decodeIfPresent(.ports)
        labels = try c.decodeIfPresent(.labels)
        env = try c.decodeIfPresent(.env)
        networks = try c.decodeIfPresent(.networks)
        writableLayerBytes = try c.decodeIfPresent(.writableLayerBytes)
        rootFilesystemBytes = try c.decodeIfPresent(.rootFilesystemBytes)
        blockIo = try c.decodeIfPresent(.blockIo)
        mounts = try c.decodeIfPresent(.mounts)
        podman = try c.decodeIfPresent(.podman)
        updateStatus = try c.decodeIfPresent(.updateStatus)
    }
}

/// CPU and memory of a host (`report.metrics`).
public struct HostMetrics: Codable, Sendable, Equatable {
    /// CPU busy percentage over a 1 s sample, 0–100 for the whole machine (not per core).
    public var cpuUsagePercent: Double?
    /// Busy percentage of each logical CPU, 0–100, in `/proc/stat` order. Sent only with
    /// `--cpu-per-core`; not in Pulse v5, whose servers ignore it.
    public var cpuPerCorePercent: [Double]?
    /// Memory and swap; always written, possibly as `{}`.
    public var memory: MemoryMetrics

    public init(cpuUsagePercent: Double? = nil, cpuPerCorePercent: [Double]? = nil, memory: MemoryMetrics = MemoryMetrics()) {
        self.cpuUsagePercent = cpuUsagePercent
        self.cpuPerCorePercent = cpuPerCorePercent
        self.memory = memory
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cpuUsagePercent = try c.decodeIfPresent(.cpuUsagePercent)
        cpuPerCorePercent = try c.decodeIfPresent(.cpuPerCorePercent)
        memory = try c.decode(.memory, default: MemoryMetrics())
    }
}

/// Memory and swap usage. Shared by the host report (`metrics.memory`) and the Docker report (`host.memory`).
///
/// Every field is optional, so `{}` decodes.
public struct MemoryMetrics: Codable, Sendable, Equatable {
    /// Physical memory in bytes.
    public var totalBytes: Int64?
    /// Used memory in bytes (excluding buffers and cache).
    public var usedBytes: Int64?
    /// Free memory in bytes.
    public var freeBytes: Int64?
    /// Used memory as a percentage of total, 0–100.
    public var usage: Double?
    /// Swap size in bytes.
    public var swapTotalBytes: Int64?
    /// Swap in use in bytes (total − free).
    public var swapUsedBytes: Int64?

    public init(
        totalBytes: Int64? = nil,
        usedBytes: Int64? = nil,
        freeBytes: Int64? = nil,
        usage: Double? = nil,
        swapTotalBytes: Int64? = nil,
        swapUsedBytes: Int64? = nil
    ) {
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
        self.freeBytes = freeBytes
        self.usage = usage
        self.swapTotalBytes = swapTotalBytes
        self.swapUsedBytes = swapUsedBytes
    }
}

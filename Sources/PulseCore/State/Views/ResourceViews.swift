package import AgentProtocol

/// Memory as the dashboard shows it, the same shape for hosts, Docker hosts and Proxmox nodes.
package struct MemoryView: Encodable, Sendable, Equatable {
    package var total: Int64
    package var used: Int64
    package var free: Int64
    /// Percent of `total` in use, 0–100.
    package var usage: Double
    package var swapUsed: Int64?
    package var swapTotal: Int64?

    /// From byte counts (Proxmox nodes and guests); nil when `total` is not known.
    package init?(total: UInt64, used: UInt64, free: UInt64? = nil, swapUsed: UInt64? = nil, swapTotal: UInt64? = nil) {
        guard total > 0 else { return nil }
        self.total = Int64(clamping: total)
        self.used = Int64(clamping: used)
        self.free = Int64(clamping: free ?? (total > used ? total - used : 0))
        usage = min(100, Double(used) / Double(total) * 100)
        self.swapUsed = swapUsed.map { Int64(clamping: $0) }
        self.swapTotal = swapTotal.map { Int64(clamping: $0) }
    }

    package init?(_ metrics: MemoryMetrics) {
        guard let total = metrics.totalBytes, total > 0 else { return nil }
        self.total = total
        used = metrics.usedBytes ?? max(0, total - (metrics.freeBytes ?? 0))
        free = metrics.freeBytes ?? max(0, total - used)
        usage = metrics.usage ?? (Double(used) / Double(total) * 100)
        swapUsed = metrics.swapUsedBytes
        swapTotal = metrics.swapTotalBytes
    }
}

/// One filesystem.
package struct DiskView: Encodable, Sendable, Equatable {
    package var total: Int64
    package var used: Int64
    package var free: Int64
    package var usage: Double
    package var mountpoint: String?
    package var type: String?
    package var device: String?

    package init(total: Int64, used: Int64, free: Int64, usage: Double, mountpoint: String?, type: String?, device: String?) {
        self.total = total
        self.used = used
        self.free = free
        self.usage = usage
        self.mountpoint = mountpoint
        self.type = type
        self.device = device
    }

    package init(_ disk: DiskUsage) {
        total = disk.totalBytes ?? 0
        used = disk.usedBytes ?? 0
        free = disk.freeBytes ?? max(0, total - used)
        usage = disk.usage ?? (total > 0 ? Double(used) / Double(total) * 100 : 0)
        mountpoint = disk.mountpoint
        type = disk.type ?? disk.filesystem
        device = disk.device
    }
}

/// Whole-disk I/O: the agent's cumulative counters plus rates the server derived from the
/// previous report (absent on the first report and right after a counter reset).
package struct DiskIOView: Encodable, Sendable, Equatable {
    package var device: String
    var readBytes: UInt64?
    var writeBytes: UInt64?
    var readOps: UInt64?
    var writeOps: UInt64?
    var readTimeMs: UInt64?
    var writeTimeMs: UInt64?
    var ioTimeMs: UInt64?
    var readBytesPerSecond: Double?
    var writeBytesPerSecond: Double?
    var readOpsPerSecond: Double?
    var writeOpsPerSecond: Double?

    package init(_ counters: DiskIOCounters, rates: DiskIORates?) {
        device = counters.device
        readBytes = counters.readBytes
        writeBytes = counters.writeBytes
        readOps = counters.readOps
        writeOps = counters.writeOps
        readTimeMs = counters.readTimeMs
        writeTimeMs = counters.writeTimeMs
        ioTimeMs = counters.ioTimeMs
        readBytesPerSecond = rates?.readBytes
        writeBytesPerSecond = rates?.writeBytes
        readOpsPerSecond = rates?.readOps
        writeOpsPerSecond = rates?.writeOps
    }
}

/// A network interface with its cumulative counters and derived rates.
package struct NetworkInterfaceView: Encodable, Sendable, Equatable {
    package var name: String
    package var mac: String?
    package var addresses: [String]?
    var rxBytes: UInt64?
    var txBytes: UInt64?
    var speedMbps: Int64?
    var rxBytesPerSecond: Double?
    var txBytesPerSecond: Double?

    package init(_ interface: NetworkInterface, rates: NetworkRates?) {
        name = interface.name
        mac = interface.mac
        addresses = interface.addresses
        rxBytes = interface.rxBytes
        txBytes = interface.txBytes
        speedMbps = interface.speedMbps
        rxBytesPerSecond = rates?.rxBytes
        txBytesPerSecond = rates?.txBytes
    }
}

extension Array {
    /// nil instead of an empty array, so `omitempty`-style keys disappear from the JSON.
    var nonEmpty: Self? { isEmpty ? nil : self }
}

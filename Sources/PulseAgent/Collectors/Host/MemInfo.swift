import AgentProtocol

/// `/proc/meminfo`, in bytes.
struct MemInfo: Sendable, Equatable {
    var totalBytes: Int64
    /// What the kernel estimates is available to new work (MemAvailable; older kernels: free + buffers + cached).
    var availableBytes: Int64
    var freeBytes: Int64
    var swapTotalBytes: Int64
    var swapFreeBytes: Int64

    init?(_ text: String) {
        var values: [Substring: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let number = parts[1].split(separator: " ", omittingEmptySubsequences: true).first.flatMap { Int64($0) }
            if let number { values[parts[0]] = number * 1024 }
        }
        guard let total = values["MemTotal"], total > 0 else { return nil }
        totalBytes = total
        freeBytes = values["MemFree"] ?? 0
        availableBytes = values["MemAvailable"] ?? (freeBytes + (values["Buffers"] ?? 0) + (values["Cached"] ?? 0))
        swapTotalBytes = values["SwapTotal"] ?? 0
        swapFreeBytes = values["SwapFree"] ?? 0
    }

    /// The report's memory block: used = total − available, as `free` and Pulse count it.
    var metrics: MemoryMetrics {
        let used = max(0, totalBytes - availableBytes)
        return MemoryMetrics(
            totalBytes: totalBytes, usedBytes: used, freeBytes: availableBytes,
            usage: Double(used) / Double(totalBytes) * 100,
            swapTotalBytes: swapTotalBytes, swapUsedBytes: max(0, swapTotalBytes - swapFreeBytes))
    }
}

import AgentProtocol

/// Checks agent reports before they touch the state, and tidies what can be tidied.
///
/// Rules: required names must be present; byte counts, counts and intervals must not be
/// negative (the report is rejected with the field's JSON path); percentages above 100 are
/// clamped to 100, since CPU accounting overshoots slightly, but negative ones are rejected.
/// Unsigned counters cannot be negative by type: the decoder already refuses them.
enum ReportValidation {
    static func validated(_ report: HostReport) throws -> HostReport {
        var report = report
        report.host.hostname = report.host.hostname.trimmingWhitespace
        try require(report.host.hostname, "host.hostname")
        try nonNegative(report.agent.intervalSeconds.map(Int64.init), "agent.intervalSeconds")
        try nonNegative(report.host.cpuCount.map(Int64.init), "host.cpuCount")
        try nonNegative(report.host.uptimeSeconds, "host.uptimeSeconds")
        report.metrics.cpuUsagePercent = try percent(report.metrics.cpuUsagePercent, "metrics.cpuUsagePercent")
        if let cores = report.metrics.cpuPerCorePercent {
            report.metrics.cpuPerCorePercent = try cores.enumerated().map { index, value in
                try percent(value, "metrics.cpuPerCorePercent[\(index)]") ?? 0
            }
        }
        report.metrics.memory = try validated(report.metrics.memory, "metrics.memory")
        if let disks = report.disks {
            report.disks = try disks.enumerated().map { index, disk in try validated(disk, "disks[\(index)]") }
        }
        return report
    }

    static func validated(_ report: DockerReport) throws -> DockerReport {
        var report = report
        report.host.hostname = report.host.hostname.trimmingWhitespace
        try require(report.host.hostname, "host.hostname")
        try nonNegative(Int64(report.agent.intervalSeconds), "agent.intervalSeconds")
        try nonNegative(report.host.totalMemoryBytes, "host.totalMemoryBytes")
        try nonNegative(report.host.totalCpu.map(Int64.init), "host.totalCpu")
        try nonNegative(report.host.uptimeSeconds, "host.uptimeSeconds")
        report.host.cpuUsagePercent = try percent(report.host.cpuUsagePercent, "host.cpuUsagePercent")
        report.host.memory = try validated(report.host.memory, "host.memory")
        if let disks = report.host.disks {
            report.host.disks = try disks.enumerated().map { index, disk in try validated(disk, "host.disks[\(index)]") }
        }
        for index in report.containers.indices {
            let path = "containers[\(index)]"
            try require(report.containers[index].id, "\(path).id")
            try nonNegative(report.containers[index].memoryUsageBytes, "\(path).memoryUsageBytes")
            try nonNegative(report.containers[index].memoryLimitBytes, "\(path).memoryLimitBytes")
            try nonNegative(Int64(report.containers[index].restartCount), "\(path).restartCount")
            try nonNegative(report.containers[index].uptimeSeconds, "\(path).uptimeSeconds")
            try nonNegative(report.containers[index].writableLayerBytes, "\(path).writableLayerBytes")
            try nonNegative(report.containers[index].rootFilesystemBytes, "\(path).rootFilesystemBytes")
            if report.containers[index].cpuPercent < 0 {
                throw invalid("\(path).cpuPercent must not be negative", field: "\(path).cpuPercent")
            }
            report.containers[index].memoryPercent =
                try percent(report.containers[index].memoryPercent, "\(path).memoryPercent") ?? 0
        }
        return report
    }

    static func validated(_ report: KubernetesReport) throws -> KubernetesReport {
        try nonNegative(Int64(report.agent.intervalSeconds), "agent.intervalSeconds")
        for (index, node) in (report.nodes ?? []).enumerated() {
            try require(node.name, "nodes[\(index)].name")
            for (label, resources) in [("capacity", node.capacity), ("allocatable", node.allocatable)] {
                try nonNegative(resources.cpuCores, "nodes[\(index)].\(label).cpuCores")
                try nonNegative(resources.memoryBytes, "nodes[\(index)].\(label).memoryBytes")
                try nonNegative(resources.pods, "nodes[\(index)].\(label).pods")
            }
        }
        for (index, pod) in (report.pods ?? []).enumerated() {
            try require(pod.name, "pods[\(index)].name")
        }
        return report
    }

    private static func validated(_ memory: MemoryMetrics, _ path: String) throws -> MemoryMetrics {
        var memory = memory
        try nonNegative(memory.totalBytes, "\(path).totalBytes")
        try nonNegative(memory.usedBytes, "\(path).usedBytes")
        try nonNegative(memory.freeBytes, "\(path).freeBytes")
        try nonNegative(memory.swapTotalBytes, "\(path).swapTotalBytes")
        try nonNegative(memory.swapUsedBytes, "\(path).swapUsedBytes")
        memory.usage = try percent(memory.usage, "\(path).usage")
        return memory
    }

    private static func validated(_ disk: DiskUsage, _ path: String) throws -> DiskUsage {
        var disk = disk
        try nonNegative(disk.totalBytes, "\(path).totalBytes")
        try nonNegative(disk.usedBytes, "\(path).usedBytes")
        try nonNegative(disk.freeBytes, "\(path).freeBytes")
        disk.usage = try percent(disk.usage, "\(path).usage")
        return disk
    }

    private static func require(_ value: String, _ path: String) throws {
        if value.isBlank {
            throw invalid("\(path) is required", field: path)
        }
    }

    private static func nonNegative(_ value: Int64?, _ path: String) throws {
        if let value, value < 0 { throw invalid("\(path) must not be negative (got \(value))", field: path) }
    }

    private static func percent(_ value: Double?, _ path: String) throws -> Double? {
        guard let value else { return nil }
        guard value >= 0 else { throw invalid("\(path) must be between 0 and 100 (got \(value))", field: path) }
        return min(value, 100)
    }

    static func invalid(_ message: String, field: String) -> APIError {
        APIError(.badRequest, code: .invalidReport, message: "Invalid report: \(message)", details: ["field": field])
    }
}

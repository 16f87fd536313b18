package import AgentProtocol
package import PulseSupport

/// Checks agent reports before they touch the state, and tidies what can be tidied.
///
/// Rules: required names must be present; byte counts, counts and intervals must not be
/// negative (the report is rejected with the field's JSON path); percentages above 100 are
/// clamped to 100, since CPU accounting overshoots slightly, but negative ones are rejected.
/// Unsigned counters cannot be negative by type: the decoder already refuses them.
package enum ReportValidation {
    package static func validated(_ report: HostReport) throws -> HostReport {
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

    /// Validates in place: a Docker report holds dozens of containers, and copying their array
    /// (or building each field's path before anything is wrong) cost more than the checks.
    package static func validate(_ report: inout DockerReport) throws {
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
            try validate(&report.containers[index], "containers[\(index)]")
        }
    }

    private static func validate(_ container: inout ContainerReport, _ path: @autoclosure () -> String) throws {
        try require(container.id, "\(path()).id")
        try nonNegative(container.memoryUsageBytes, "\(path()).memoryUsageBytes")
        try nonNegative(container.memoryLimitBytes, "\(path()).memoryLimitBytes")
        try nonNegative(Int64(container.restartCount), "\(path()).restartCount")
        try nonNegative(container.uptimeSeconds, "\(path()).uptimeSeconds")
        try nonNegative(container.writableLayerBytes, "\(path()).writableLayerBytes")
        try nonNegative(container.rootFilesystemBytes, "\(path()).rootFilesystemBytes")
        if container.cpuPercent < 0 {
            throw invalid("\(path()).cpuPercent must not be negative", field: "\(path()).cpuPercent")
        }
        if container.memoryPercent < 0 || container.memoryPercent > 100 {
            container.memoryPercent = try percent(container.memoryPercent, "\(path()).memoryPercent") ?? 0
        }
    }

    package static func validated(_ report: KubernetesReport) throws -> KubernetesReport {
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

    private static func require(_ value: String, _ path: @autoclosure () -> String) throws {
        if value.isBlank {
            throw invalid("\(path()) is required", field: path())
        }
    }

    private static func nonNegative(_ value: Int64?, _ path: @autoclosure () -> String) throws {
        if let value, value < 0 { throw invalid("\(path()) must not be negative (got \(value))", field: path()) }
    }

    private static func percent(_ value: Double?, _ path: @autoclosure () -> String) throws -> Double? {
        guard let value else { return nil }
        guard value >= 0 else { throw invalid("\(path()) must be between 0 and 100 (got \(value))", field: path()) }
        return min(value, 100)
    }

    package static func invalid(_ message: String, field: String) -> DomainError {
        DomainError(.invalid, code: .invalidReport, message: "Invalid report: \(message)", details: ["field": field])
    }
}

package import Foundation
import Logging
package import ProxmoxPolling
package import PulseCore
package import PulseSupport

/// Gathers a `DiagnosticsReport` from the parts of the running server.
package struct DiagnosticsCollector: Sendable {
    package let state: MonitoringState
    package let scheduler: SchedulerHealth
    package let configuration: ConfigSummaryRoutes
    package let logs: RecentLogLines
    /// The database files whose sizes are reported (SQLite's `-wal` and `-shm` beside each are added).
    package let databaseFiles: [String]
    package let startedAt: Date
    package let time: any TimeSource
    /// Remote write's figures; nil when it is off.
    package let remoteWrite: @Sendable () async -> RemoteWriteStatistics?

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        state: MonitoringState, scheduler: SchedulerHealth, configuration: ConfigSummaryRoutes, logs: RecentLogLines,
        databaseFiles: [String], startedAt: Date, time: any TimeSource,
        remoteWrite: @escaping @Sendable () async -> RemoteWriteStatistics? = { nil }
    ) {
        self.state = state
        self.scheduler = scheduler
        self.configuration = configuration
        self.logs = logs
        self.databaseFiles = databaseFiles
        self.startedAt = startedAt
        self.time = time
        self.remoteWrite = remoteWrite
    }

    package func collect() async -> DiagnosticsReport {
        let now = time.now()
        var errors: [String] = []
        let snapshot = await state.snapshot()
        var versions: [String: Int] = [:]
        let reported =
            snapshot.hosts.map(\.agentVersion) + snapshot.dockerHosts.map(\.agentVersion)
            + snapshot.kubernetesClusters.map(\.agentVersion)
        for version in reported { versions[version.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown", default: 0] += 1 }
        var files: [DiagnosticsReport.DatabaseFile] = []
        for path in databaseFiles {
            for file in [path, path + "-wal", path + "-shm"] {
                guard let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int else {
                    if file == path { errors.append("database file \((path as NSString).lastPathComponent) could not be read") }
                    continue
                }
                files.append(.init(name: (file as NSString).lastPathComponent, bytes: size))
            }
        }
        let rss = Self.statusBytes("VmRSS")
        if rss == nil { errors.append("memory use could not be read from /proc/self/status") }
        let health = await scheduler.snapshot()
        return DiagnosticsReport(
            generatedAt: now, version: BuildInfo.version, build: BuildInfo.build, startedAt: startedAt,
            uptimeSeconds: max(0, Int(now.timeIntervalSince(startedAt))),
            runtime: .init(memoryRSSBytes: rss, openFiles: Self.openFiles(), swiftVersion: BuildInfo.swiftVersion),
            configuration: await configuration.summary(), proxmox: health.instances, database: files,
            tasks: .init(proxmoxPollers: health.instances.count, logFollowers: logs.followerCount),
            agents: .init(
                hosts: snapshot.hosts.count, dockerHosts: snapshot.dockerHosts.count, kubernetesClusters: snapshot.kubernetesClusters.count,
                byVersion: versions),
            remoteWrite: await remoteWrite(), recentErrors: logs.lines(limit: 50, minimum: .error), errors: errors)
    }

    /// A `kB` line of /proc/self/status, in bytes.
    static func statusBytes(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        let number = line?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
        return number.flatMap { Int($0) }.map { $0 * 1024 }
    }

    static func openFiles() -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map(\.count)
    }
}

/// The last report for `maximumAge` (45 s, as Pulse documents): diagnostics read every instance's
/// health and the database files, which a dashboard refreshing in a loop must not repeat.
package actor DiagnosticsCache {
    package static let maximumAge: TimeInterval = 45
    private let collector: DiagnosticsCollector
    private var last: DiagnosticsReport?

    package init(collector: DiagnosticsCollector) {
        self.collector = collector
    }

    package func report() async -> DiagnosticsReport {
        if let last, collector.time.now().timeIntervalSince(last.generatedAt) < Self.maximumAge { return last }
        let fresh = await collector.collect()
        last = fresh
        return fresh
    }
}

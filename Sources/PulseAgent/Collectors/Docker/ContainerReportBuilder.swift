import AgentProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One container of the Docker report, from the list entry, its inspect and its stats.
struct ContainerReportBuilder {
    let summary: EngineAPI.ContainerSummary
    let inspect: EngineAPI.ContainerInspect?
    let stats: EngineAPI.Stats?
    let cpuPercent: Double
    let sizes: (writable: Int64?, root: Int64?)?
    let isPodman: Bool
    let now: Date

    var report: ContainerReport {
        let state = inspect?.state?.status ?? summary.state ?? "unknown"
        let running = inspect?.state?.running ?? (state == "running")
        let startedAt = inspect?.state?.startedAt.flatMap(Self.time)
        let finishedAt = inspect?.state?.finishedAt.flatMap(Self.time)
        let labels = inspect?.config?.labels ?? summary.labels
        let (usage, limit) = memory
        return ContainerReport(
            id: summary.id,
            name: Self.name(summary.names?.first ?? inspect?.name ?? summary.id),
            image: summary.image ?? inspect?.config?.image ?? "",
            createdAt: inspect?.created.flatMap(Self.time) ?? Date(timeIntervalSince1970: TimeInterval(summary.created ?? 0)),
            state: state,
            status: summary.status ?? state,
            health: inspect?.state?.health?.status.flatMap { $0.isEmpty ? nil : $0 },
            cpuPercent: running ? cpuPercent : 0,
            memoryUsageBytes: usage,
            memoryLimitBytes: limit,
            memoryPercent: limit > 0 ? min(100, Double(usage) / Double(limit) * 100) : 0,
            uptimeSeconds: running ? startedAt.map { max(0, Int64(now.timeIntervalSince($0))) } ?? 0 : 0,
            restartCount: inspect?.restartCount ?? 0,
            exitCode: inspect?.state?.exitCode ?? 0,
            startedAt: startedAt,
            finishedAt: running ? nil : finishedAt,
            ports: ports,
            labels: labels?.isEmpty == false ? labels : nil,
            networks: networks,
            writableLayerBytes: sizes?.writable,
            rootFilesystemBytes: sizes?.root,
            blockIo: blockIO,
            mounts: mounts,
            podman: isPodman ? podman(labels: labels ?? [:]) : nil)
    }

    /// Usage without the page cache (cgroup v1 `cache`, v2 `inactive_file`), and the limit.
    private var memory: (usage: Int64, limit: Int64) {
        guard let memory = stats?.memoryStats else { return (0, 0) }
        let cache = memory.stats?["inactive_file"] ?? memory.stats?["total_inactive_file"] ?? memory.stats?["cache"] ?? 0
        let usage = max(0, (memory.usage ?? 0) - cache)
        let configured = inspect?.hostConfig?.memory ?? 0
        return (usage, configured > 0 ? configured : memory.limit ?? 0)
    }

    private var ports: [ContainerPort]? {
        let ports = (summary.ports ?? []).compactMap { port -> ContainerPort? in
            guard let privatePort = port.privatePort else { return nil }
            return ContainerPort(
                privatePort: privatePort, publicPort: port.publicPort.flatMap { $0 > 0 ? $0 : nil },
                protocol: port.type ?? "tcp", ip: port.ip.flatMap { $0.isEmpty ? nil : $0 })
        }
        return ports.isEmpty ? nil : ports
    }

    private var networks: [ContainerNetwork]? {
        let networks = (inspect?.networkSettings?.networks ?? [:]).sorted { $0.key < $1.key }.map { name, endpoint in
            ContainerNetwork(
                name: name, ipv4: endpoint.ipAddress.flatMap { $0.isEmpty ? nil : $0 },
                ipv6: endpoint.globalIPv6Address.flatMap { $0.isEmpty ? nil : $0 })
        }
        return networks.isEmpty ? nil : networks
    }

    private var mounts: [ContainerMount]? {
        let mounts = (inspect?.mounts ?? []).map { mount in
            ContainerMount(
                type: mount.type, source: mount.source, destination: mount.destination,
                mode: mount.mode.flatMap { $0.isEmpty ? nil : $0 }, rw: mount.rw ?? false,
                propagation: mount.propagation.flatMap { $0.isEmpty ? nil : $0 }, name: mount.name, driver: mount.driver)
        }
        return mounts.isEmpty ? nil : mounts
    }

    private var blockIO: ContainerBlockIO? {
        guard let entries = stats?.blkioStats?.ioServiceBytesRecursive, !entries.isEmpty else { return nil }
        func total(_ operation: String) -> UInt64 {
            entries.filter { $0.op?.lowercased() == operation }.reduce(0) { $0 + ($1.value ?? 0) }
        }
        return ContainerBlockIO(readBytes: total("read"), writeBytes: total("write"))
    }

    private func podman(labels: [String: String]) -> PodmanMetadata? {
        let metadata = PodmanMetadata(
            podId: inspect?.pod.flatMap { $0.isEmpty ? nil : $0 },
            composeProject: labels["com.docker.compose.project"] ?? labels["io.podman.compose.project"],
            composeService: labels["com.docker.compose.service"],
            composeWorkdir: labels["com.docker.compose.project.working_dir"],
            composeConfigHash: labels["com.docker.compose.config-hash"] ?? labels["io.podman.compose.config-hash"],
            autoUpdatePolicy: labels["io.containers.autoupdate"])
        return metadata == PodmanMetadata() ? nil : metadata
    }

    /// `/name` → `name`.
    static func name(_ raw: String) -> String {
        raw.hasPrefix("/") ? String(raw.dropFirst()) : raw
    }

    /// An Engine API time; nil for Go's zero time (never started, never finished).
    static func time(_ text: String) -> Date? {
        guard let date = RFC3339.parse(text), date.timeIntervalSince1970 > 0 else { return nil }
        return date
    }
}

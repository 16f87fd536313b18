import AgentProtocol
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One Docker report per cycle from the Engine API: the daemon, every container (running or
/// not) with state, health, restarts, exit code, CPU (from the previous cycle's reading),
/// memory, block I/O, ports, networks, mounts and Podman metadata.
///
/// The writable-layer size needs an expensive `size=1` inspect, so it is refreshed on a slower
/// cadence (`sizeRefreshInterval`) and reused in between.
actor DockerCollector: Collector {
    struct Settings: Sendable {
        var root = SystemRoot.live
        var agentVersion = PulseAgentCommand.version
        var intervalSeconds = 30
        var hostname: String?
        var agentID: String?
        var sizeRefreshInterval: Duration = .seconds(300)
        /// Containers inspected in parallel.
        var concurrency = 4
    }

    nonisolated let name = "docker"
    let settings: Settings
    private var client: DockerEngineClient
    private var version: EngineAPI.Version?
    private var previousCPU: [String: ContainerCPUSample] = [:]
    private var sizes: [String: (writable: Int64?, root: Int64?)] = [:]
    private var lastSizeRefresh: ContinuousClock.Instant?
    private let now: @Sendable () -> Date
    /// Image update checks; nil when they are off (`--disable-docker-update-checks`).
    let imageUpdates: ImageUpdateChecker?

    init(
        socketPath: String, settings: Settings, imageUpdates: ImageUpdateChecker? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.client = DockerEngineClient(socketPath: socketPath)
        self.imageUpdates = imageUpdates
        self.now = now
    }

    var socketPath: String { client.socketPath }

    func collect() async throws -> DockerReport {
        if version == nil { (version, client) = try await client.negotiated() }
        let client = self.client
        let info = try await client.get("/info", as: EngineAPI.Info.self)
        let summaries = try await client.get("/containers/json?all=1", as: [EngineAPI.ContainerSummary].self)

        let refreshSizes = lastSizeRefresh.map { ContinuousClock.now - $0 >= settings.sizeRefreshInterval } ?? true
        if refreshSizes { lastSizeRefresh = .now }
        let details = await Self.inspectAll(summaries, client: client, withSizes: refreshSizes, concurrency: settings.concurrency)

        let collectedAt = now()
        var containers: [ContainerReport] = []
        var seen: Set<String> = []
        for summary in summaries {
            seen.insert(summary.id)
            let detail = details[summary.id]
            if refreshSizes, let inspect = detail?.inspect { sizes[summary.id] = (inspect.sizeRw, inspect.sizeRootFs) }
            var cpuPercent = 0.0
            if let sample = ContainerCPUSample(detail?.stats?.cpuStats) {
                if let earlier = ContainerCPUSample(detail?.stats?.precpuStats) ?? previousCPU[summary.id] {
                    cpuPercent = sample.percent(since: earlier)
                }
                previousCPU[summary.id] = sample
            }
            containers.append(
                ContainerReportBuilder(
                    summary: summary, inspect: detail?.inspect, stats: detail?.stats, cpuPercent: cpuPercent,
                    sizes: sizes[summary.id], isPodman: version?.isPodman == true, now: collectedAt
                ).report)
        }
        if let imageUpdates {
            let images = summaries.map { ImageUpdateChecker.ContainerImage(name: $0.image ?? "", imageID: $0.imageID ?? "") }
            for (index, status) in await imageUpdates.statuses(for: images).enumerated() { containers[index].updateStatus = status }
        }
        previousCPU = previousCPU.filter { seen.contains($0.key) }
        sizes = sizes.filter { seen.contains($0.key) }
        let swarm = info.swarm?.controlAvailable == true ? await Self.swarm(client) : nil
        return DockerReport(
            agent: agentInfo(info), host: hostInfo(info), containers: containers, services: swarm?.services, tasks: swarm?.tasks,
            timestamp: collectedAt)
    }

    /// Services and tasks, on a swarm manager; a failure leaves them out of this report only.
    static func swarm(_ client: DockerEngineClient) async -> (services: [SwarmService], tasks: [SwarmTask])? {
        guard let services = try? await client.get("/services?status=true", as: [EngineAPI.Service].self),
            let tasks = try? await client.get("/tasks", as: [EngineAPI.Task].self)
        else { return nil }
        let names = Dictionary(services.map { ($0.id, $0.spec?.name ?? $0.id) }, uniquingKeysWith: { first, _ in first })
        return (services.map(SwarmReportBuilder.service), tasks.map { SwarmReportBuilder.task($0, services: names) })
    }

    private func agentInfo(_ info: EngineAPI.Info) -> AgentInfo {
        let machineID = MachineIdentity.machineID(in: settings.root)
        // Docker's daemon ID is stable; Podman's service makes up a new one for every /info call.
        let daemonID = version?.isPodman == true ? nil : info.id.flatMap { $0.isEmpty ? nil : $0 }
        return AgentInfo(
            id: settings.agentID ?? daemonID ?? machineID ?? hostname, version: settings.agentVersion,
            type: HostAgentInfo.unifiedType, intervalSeconds: settings.intervalSeconds)
    }

    private var hostname: String { settings.hostname ?? MachineIdentity.hostname(in: settings.root) ?? "localhost" }

    private func hostInfo(_ info: EngineAPI.Info) -> DockerHostInfo {
        let root = settings.root
        let isPodman = version?.isPodman == true
        let swarm = info.swarm.flatMap { swarm -> SwarmInfo? in
            guard let state = swarm.localNodeState, state != "inactive", !state.isEmpty else { return nil }
            return SwarmInfo(
                nodeId: swarm.nodeID, nodeRole: swarm.controlAvailable == true ? "manager" : "worker", localState: state,
                controlAvailable: swarm.controlAvailable, clusterId: swarm.cluster?.id,
                error: swarm.error.flatMap { $0.isEmpty ? nil : $0 })
        }
        return DockerHostInfo(
            hostname: hostname, name: info.name, machineId: MachineIdentity.machineID(in: root), os: info.operatingSystem,
            runtime: isPodman ? "podman" : "docker",
            runtimeVersion: isPodman ? version?.components?.first { $0.name?.lowercased().hasPrefix("podman") == true }?.version : version?.version,
            kernelVersion: info.kernelVersion ?? version?.kernelVersion, architecture: info.architecture ?? version?.arch,
            dockerVersion: version?.version ?? info.serverVersion, totalCpu: info.ncpu, totalMemoryBytes: info.memTotal,
            uptimeSeconds: root.read("/proc/uptime").flatMap(LoadAndUptime.uptimeSeconds), swarm: swarm,
            loadAverage: root.read("/proc/loadavg").flatMap(LoadAndUptime.loadAverage),
            memory: root.read("/proc/meminfo").flatMap(MemInfo.init)?.metrics ?? MemoryMetrics())
    }

    struct Detail: Sendable {
        var inspect: EngineAPI.ContainerInspect?
        var stats: EngineAPI.Stats?
    }

    /// Inspect (and, for running or paused containers, one-shot stats) per container, at most
    /// `concurrency` at a time. A container that vanished meanwhile just has no details.
    static func inspectAll(
        _ summaries: [EngineAPI.ContainerSummary], client: DockerEngineClient, withSizes: Bool, concurrency: Int
    ) async -> [String: Detail] {
        await withTaskGroup(of: (String, Detail).self) { group in
            var results: [String: Detail] = [:]
            var pending = summaries[...]
            func startNext() {
                guard let summary = pending.popFirst() else { return }
                group.addTask {
                    let inspect = try? await client.get(
                        "/containers/\(summary.id)/json" + (withSizes ? "?size=1" : ""), as: EngineAPI.ContainerInspect.self)
                    let live = ["running", "paused"].contains(summary.state ?? inspect?.state?.status ?? "")
                    let stats =
                        live ? try? await client.get("/containers/\(summary.id)/stats?stream=false&one-shot=true", as: EngineAPI.Stats.self) : nil
                    return (summary.id, Detail(inspect: inspect, stats: stats))
                }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            for await (id, detail) in group {
                results[id] = detail
                startNext()
            }
            return results
        }
    }
}

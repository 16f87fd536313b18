import AgentProtocol
import Foundation

/// A Docker or Podman host as `/api/state` shows it in `dockerHosts[]` (timestamps in Unix ms).
struct DockerHostView: Encodable, Sendable {
    var id: String
    var agentId: String
    var hostname: String
    var displayName: String
    var customDisplayName: String?
    var machineId: String?
    var os: String?
    var kernelVersion: String?
    var architecture: String?
    var runtime: String
    var runtimeVersion: String?
    var dockerVersion: String?
    var cpus: Int
    var totalMemoryBytes: Int64
    var uptimeSeconds: Int64
    var cpuUsagePercent: Double
    var loadAverage: [Double]?
    var memory: MemoryView?
    var disks: [DiskView]?
    var networkInterfaces: [NetworkInterfaceView]?
    var status: String
    var lastSeen: Int64
    var reportedAt: Int64?
    var intervalSeconds: Int
    var agentVersion: String?
    var containers: [ContainerView]
    var services: [SwarmService]?
    var tasks: [SwarmTask]?
    var swarm: SwarmInfo?
    var tokenId: String?
    var tokenName: String?
    var tokenHint: String?
    var hidden: Bool
    var pendingUninstall: Bool
    var command: CommandView?

    init(_ record: DockerAgentRecord, status: AgentStatus) {
        let report = record.report
        id = record.id
        agentId = report.agent.id
        hostname = report.host.hostname
        displayName = record.displayName
        customDisplayName = record.customDisplayName
        machineId = report.host.machineId
        os = report.host.os
        kernelVersion = report.host.kernelVersion
        architecture = report.host.architecture
        runtime = report.host.runtime ?? "docker"
        runtimeVersion = report.host.runtimeVersion
        dockerVersion = report.host.dockerVersion
        cpus = report.host.totalCpu ?? 0
        totalMemoryBytes = report.host.totalMemoryBytes ?? 0
        uptimeSeconds = report.host.uptimeSeconds ?? 0
        cpuUsagePercent = report.host.cpuUsagePercent ?? 0
        loadAverage = report.host.loadAverage
        memory = MemoryView(report.host.memory)
        disks = report.host.disks?.map(DiskView.init).nonEmpty
        networkInterfaces = report.host.network?.map { NetworkInterfaceView($0, rates: record.networkRates[$0.name]) }.nonEmpty
        self.status = status.rawValue
        lastSeen = record.receivedAt.unixMillis
        reportedAt = report.timestamp.isGoZeroTime ? nil : report.timestamp.unixMillis
        intervalSeconds = report.agent.intervalSeconds
        agentVersion = report.agent.version
        containers = report.containers.map { ContainerView($0, rates: record.blockIORates[$0.id]) }
        services = report.services?.nonEmpty
        tasks = report.tasks?.nonEmpty
        swarm = report.host.swarm
        tokenId = record.token?.id
        tokenName = record.token?.name
        tokenHint = record.token?.hint
        hidden = record.hidden
        pendingUninstall = record.pendingUninstall
        command = record.command.map(CommandView.init)
    }
}

/// A container as reported, with its times in Unix ms and block I/O rates added.
struct ContainerView: Encodable, Sendable {
    struct BlockIO: Encodable, Sendable {
        var readBytes: UInt64?
        var writeBytes: UInt64?
        var readRateBytesPerSecond: Double?
        var writeRateBytesPerSecond: Double?
    }

    var id: String
    var name: String
    var image: String
    var imageDigest: String?
    var createdAt: Int64
    var state: String
    var status: String
    var health: String?
    /// 100 = one full core.
    var cpuPercent: Double
    var memoryUsageBytes: Int64
    var memoryLimitBytes: Int64
    var memoryPercent: Double
    var uptimeSeconds: Int64
    var restartCount: Int
    var exitCode: Int
    var startedAt: Int64?
    var finishedAt: Int64?
    var ports: [ContainerPort]?
    var labels: [String: String]?
    var networks: [ContainerNetwork]?
    var writableLayerBytes: Int64?
    var rootFilesystemBytes: Int64?
    var blockIo: BlockIO?
    var mounts: [ContainerMount]?
    var podman: PodmanMetadata?
    var updateStatus: ImageUpdateStatus?

    init(_ container: ContainerReport, rates: BlockIORates?) {
        id = container.id
        name = container.name
        image = container.image
        imageDigest = container.imageDigest
        createdAt = container.createdAt.unixMillis
        state = container.state
        status = container.status
        health = container.health
        cpuPercent = container.cpuPercent
        memoryUsageBytes = container.memoryUsageBytes
        memoryLimitBytes = container.memoryLimitBytes
        memoryPercent = container.memoryPercent
        uptimeSeconds = container.uptimeSeconds
        restartCount = container.restartCount
        exitCode = container.exitCode
        startedAt = container.startedAt.flatMap { $0.isGoZeroTime ? nil : $0.unixMillis }
        finishedAt = container.finishedAt.flatMap { $0.isGoZeroTime ? nil : $0.unixMillis }
        ports = container.ports?.nonEmpty
        labels = container.labels.flatMap { $0.isEmpty ? nil : $0 }
        networks = container.networks?.nonEmpty
        writableLayerBytes = container.writableLayerBytes
        rootFilesystemBytes = container.rootFilesystemBytes
        blockIo = container.blockIo.map {
            BlockIO(
                readBytes: $0.readBytes, writeBytes: $0.writeBytes,
                readRateBytesPerSecond: rates?.readBytes, writeRateBytesPerSecond: rates?.writeBytes)
        }
        mounts = container.mounts?.nonEmpty
        podman = container.podman
        updateStatus = container.updateStatus
    }
}

/// A queued agent command as the dashboard sees it.
struct CommandView: Encodable, Sendable {
    var id: String
    var type: String
    var status: String
    var message: String?
    var createdAt: Int64
    var updatedAt: Int64
    var expiresAt: Int64

    init(_ command: QueuedCommand) {
        id = command.id
        type = command.type.rawValue
        status = command.status.rawValue
        message = command.message
        createdAt = command.createdAt.unixMillis
        updatedAt = command.updatedAt.unixMillis
        expiresAt = command.expiresAt.unixMillis
    }
}

package import AgentProtocol
import Foundation
import PulseSupport

/// A Docker or Podman host as `/api/state` shows it in `dockerHosts[]` (timestamps in Unix ms).
package struct DockerHostView: Encodable, Sendable {
    package var id: String
    var agentId: String
    package var hostname: String
    package var displayName: String
    var customDisplayName: String?
    var machineId: String?
    package var os: String?
    package var kernelVersion: String?
    package var architecture: String?
    package var runtime: String
    var runtimeVersion: String?
    var dockerVersion: String?
    package var cpus: Int
    var totalMemoryBytes: Int64
    package var uptimeSeconds: Int64
    var cpuUsagePercent: Double
    package var loadAverage: [Double]?
    package var memory: MemoryView?
    package var disks: [DiskView]?
    package var networkInterfaces: [NetworkInterfaceView]?
    package var status: String
    package var lastSeen: Int64
    var reportedAt: Int64?
    var intervalSeconds: Int
    package var agentVersion: String?
    package var containers: ContainerViews
    package var services: [SwarmService]?
    package var tasks: [SwarmTask]?
    var swarm: SwarmInfo?
    package var tokenId: String?
    package var tokenName: String?
    package var tokenHint: String?
    package var hidden: Bool
    package var pendingUninstall: Bool
    package var command: CommandView?
    /// What a user attached (custom URL, notes, tags); absent when nothing.
    package var metadata: ResourceMetadata?

    package init(_ record: DockerAgentRecord, status: AgentStatus) {
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
        containers = ContainerViews(report.containers, rates: record.blockIORates)
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
package struct ContainerView: Encodable, Sendable {
    package struct BlockIO: Encodable, Sendable {
        var readBytes: UInt64?
        var writeBytes: UInt64?
        var readRateBytesPerSecond: Double?
        var writeRateBytesPerSecond: Double?
    }

    package var id: String
    package var name: String
    package var image: String
    var imageDigest: String?
    package var createdAt: Int64
    package var state: String
    package var status: String
    package var health: String?
    /// 100 = one full core.
    package var cpuPercent: Double
    package var memoryUsageBytes: Int64
    package var memoryLimitBytes: Int64
    package var memoryPercent: Double
    package var uptimeSeconds: Int64
    package var restartCount: Int
    package var exitCode: Int
    package var startedAt: Int64?
    var finishedAt: Int64?
    var ports: [ContainerPort]?
    package var labels: [String: String]?
    var networks: [ContainerNetwork]?
    var writableLayerBytes: Int64?
    var rootFilesystemBytes: Int64?
    var blockIo: BlockIO?
    var mounts: [ContainerMount]?
    var podman: PodmanMetadata?
    var updateStatus: ImageUpdateStatus?
    /// What a user attached (custom URL, notes, tags); absent when nothing.
    package var metadata: ResourceMetadata?

    package init(_ container: ContainerReport, rates: BlockIORates?) {
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
package struct CommandView: Encodable, Sendable {
    package var id: String
    package var type: String
    package var status: String
    package var message: String?
    package var createdAt: Int64
    package var updatedAt: Int64
    var expiresAt: Int64

    package init(_ command: QueuedCommand) {
        id = command.id
        type = command.type.rawValue
        status = command.status.rawValue
        message = command.message
        createdAt = command.createdAt.unixMillis
        updatedAt = command.updatedAt.unixMillis
        expiresAt = command.expiresAt.unixMillis
    }
}

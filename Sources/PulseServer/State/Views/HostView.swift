import AgentProtocol
import Foundation

/// A host agent's machine as `/api/state` shows it in `hosts[]` (timestamps in Unix ms).
struct HostView: Encodable, Sendable {
    var id: String
    var agentId: String
    var hostname: String
    var displayName: String
    var customDisplayName: String?
    var machineId: String?
    var platform: String?
    var osName: String?
    var osVersion: String?
    var kernelVersion: String?
    var architecture: String?
    var cpuModel: String?
    var cpuCount: Int?
    /// Percent, 0–100 (Proxmox nodes use a 0–1 ratio instead).
    var cpuUsage: Double?
    /// Per logical CPU, when the agent runs with `--cpu-per-core`.
    var cpuPerCore: [Double]?
    var loadAverage: [Double]?
    var memory: MemoryView?
    var disks: [DiskView]?
    var diskIO: [DiskIOView]?
    var networkInterfaces: [NetworkInterfaceView]?
    var sensors: Sensors?
    var raid: [RAIDArray]?
    var status: String
    /// The Proxmox node, VM or container this agent runs on/in (Pulse [136] names).
    var linkedNodeId: String?
    var linkedVmId: String?
    var linkedContainerId: String?
    var uptimeSeconds: Int64?
    /// When the server last received a report (server clock).
    var lastSeen: Int64
    /// When the agent says it collected that report (agent clock).
    var reportedAt: Int64?
    var intervalSeconds: Int?
    var agentVersion: String?
    /// The version the agent replaced when it last updated itself.
    var updatedFrom: String?
    /// Reports accepted since the host was first seen, and the agent's ID of the latest one.
    var reportsReceived: Int
    var sequenceId: String?
    var isLegacy: Bool
    var commandsEnabled: Bool?
    var reportIp: String?
    var tags: [String]?
    var tokenId: String?
    var tokenName: String?
    var tokenHint: String?

    init(_ record: HostAgentRecord, status: AgentStatus) {
        let report = record.report
        id = record.id
        agentId = report.agent.id
        hostname = report.host.hostname
        displayName = record.displayName
        customDisplayName = record.customDisplayName
        machineId = report.host.machineId
        platform = report.host.platform
        osName = report.host.osName
        osVersion = report.host.osVersion
        kernelVersion = report.host.kernelVersion
        architecture = report.host.architecture
        cpuModel = report.host.cpuModel
        cpuCount = report.host.cpuCount
        cpuUsage = report.metrics.cpuUsagePercent
        cpuPerCore = report.metrics.cpuPerCorePercent
        loadAverage = report.host.loadAverage
        memory = MemoryView(report.metrics.memory)
        disks = report.disks?.map(DiskView.init).nonEmpty
        diskIO = report.diskIO?.map { DiskIOView($0, rates: record.diskRates[$0.device]) }.nonEmpty
        networkInterfaces = report.network?.map { NetworkInterfaceView($0, rates: record.networkRates[$0.name]) }.nonEmpty
        sensors = report.sensors
        raid = report.raid?.nonEmpty
        self.status = status.rawValue
        uptimeSeconds = report.host.uptimeSeconds
        lastSeen = record.receivedAt.unixMillis
        reportedAt = report.timestamp.isGoZeroTime ? nil : report.timestamp.unixMillis
        intervalSeconds = report.agent.intervalSeconds
        agentVersion = report.agent.version
        updatedFrom = report.agent.updatedFrom
        reportsReceived = record.reportsReceived ?? 1
        sequenceId = report.sequenceId
        isLegacy = report.agent.type != HostAgentInfo.unifiedType
        commandsEnabled = report.agent.commandsEnabled
        reportIp = report.host.reportIp
        tags = report.tags?.nonEmpty
        tokenId = record.token?.id
        tokenName = record.token?.name
        tokenHint = record.token?.hint
    }
}

/// Whether an agent is reporting on time.
enum AgentStatus: String, Codable, Sendable {
    case online, offline
}

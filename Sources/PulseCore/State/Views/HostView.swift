package import AgentProtocol
import Foundation
import PulseSupport

/// A host agent's machine as `/api/state` shows it in `hosts[]` (timestamps in Unix ms).
package struct HostView: Encodable, Sendable {
    package var id: String
    var agentId: String
    package var hostname: String
    package var displayName: String
    var customDisplayName: String?
    var machineId: String?
    package var platform: String?
    package var osName: String?
    package var osVersion: String?
    package var kernelVersion: String?
    package var architecture: String?
    var cpuModel: String?
    var cpuCount: Int?
    /// Percent, 0–100 (Proxmox nodes use a 0–1 ratio instead).
    package var cpuUsage: Double?
    /// Per logical CPU, when the agent runs with `--cpu-per-core`.
    var cpuPerCore: [Double]?
    package var loadAverage: [Double]?
    package var memory: MemoryView?
    package var disks: [DiskView]?
    var diskIO: [DiskIOView]?
    package var networkInterfaces: [NetworkInterfaceView]?
    package var sensors: Sensors?
    package var raid: [RAIDArray]?
    package var status: String
    /// The Proxmox node, VM or container this agent runs on/in (Pulse [136] names).
    var linkedNodeId: String?
    var linkedVmId: String?
    var linkedContainerId: String?
    package var uptimeSeconds: Int64?
    /// When the server last received a report (server clock).
    package var lastSeen: Int64
    /// When the agent says it collected that report (agent clock).
    var reportedAt: Int64?
    var intervalSeconds: Int?
    package var agentVersion: String?
    /// The version the agent replaced when it last updated itself.
    var updatedFrom: String?
    /// Reports accepted since the host was first seen, and the agent's ID of the latest one.
    var reportsReceived: Int
    var sequenceId: String?
    var isLegacy: Bool
    package var commandsEnabled: Bool?
    /// What the agent runs with after applying the server's settings (`agent.appliedSettings`);
    /// absent from agents that do not say (Pulse v5).
    package var appliedSettings: HostAgentSettings?
    package var reportIp: String?
    package var tags: [String]?
    package var tokenId: String?
    package var tokenName: String?
    package var tokenHint: String?
    /// What a user attached (custom URL, notes, tags); absent when nothing.
    package var metadata: ResourceMetadata?

    package init(_ record: HostAgentRecord, status: AgentStatus) {
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
        appliedSettings = report.agent.appliedSettings
        reportIp = report.host.reportIp
        tags = report.tags?.nonEmpty
        tokenId = record.token?.id
        tokenName = record.token?.name
        tokenHint = record.token?.hint
    }
}

/// Whether an agent is reporting on time.
package enum AgentStatus: String, Codable, Sendable {
    case online, offline
}

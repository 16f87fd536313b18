import AgentProtocol
import Foundation

/// Which kind of agent a record or block belongs to.
enum AgentKind: String, Codable, Sendable, CaseIterable {
    case host, docker, kubernetes
}

/// The token that delivered a report, as remembered with the resource.
struct ReportingToken: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var hint: String
    var scopes: [Scope]

    init(_ record: APITokenRecord) {
        id = record.id
        name = record.name
        hint = record.hint
        scopes = record.scopes
    }
}

/// Everything the server keeps about one host agent. Persisted as JSON, so a restart restores it.
struct HostAgentRecord: Codable, Sendable {
    var id: String
    /// The latest accepted report, as sent.
    var report: HostReport
    /// Server time the latest report arrived; offline detection uses this, never the agent clock.
    var receivedAt: Date
    var token: ReportingToken?
    var customDisplayName: String?
    var diskRates: [String: DiskIORates] = [:]
    var networkRates: [String: NetworkRates] = [:]
    /// Reports accepted from this host since it was first seen (repeats not counted).
    var reportsReceived: Int? = nil

    var hostname: String { report.host.hostname }
    var displayName: String { customDisplayName ?? report.host.displayName ?? report.host.hostname }
}

/// A command queued for a Docker agent, delivered in the next report reply until acknowledged.
struct QueuedCommand: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable {
        case queued, sent, acknowledged, inProgress = "in_progress", completed, failed, expired
    }

    var id: String
    var type: AgentCommandType
    var status: Status
    var createdAt: Date
    var updatedAt: Date
    var expiresAt: Date
    var message: String?

    /// Still waiting for the agent to take it.
    func isDeliverable(at now: Date) -> Bool {
        (status == .queued || status == .sent) && now < expiresAt
    }
}

/// Everything the server keeps about one Docker (or Podman) host.
struct DockerAgentRecord: Codable, Sendable {
    var id: String
    var report: DockerReport
    var receivedAt: Date
    var token: ReportingToken?
    var customDisplayName: String?
    var hidden = false
    var pendingUninstall = false
    var command: QueuedCommand?
    var blockIORates: [String: BlockIORates] = [:]
    var networkRates: [String: NetworkRates] = [:]

    var agentID: String { report.agent.id }
    var hostname: String { report.host.hostname }
    var displayName: String { customDisplayName ?? report.host.name ?? report.host.hostname }
}

/// Everything the server keeps about one Kubernetes cluster.
struct KubernetesAgentRecord: Codable, Sendable {
    var id: String
    var report: KubernetesReport
    var receivedAt: Date
    var token: ReportingToken?
    var customDisplayName: String?
    var hidden = false
    var pendingUninstall = false

    var agentID: String { report.agent.id }
    var displayName: String { customDisplayName ?? report.cluster.name ?? id }
}

/// A resource an administrator removed: it stays listed, and its agent is refused, for 24 hours
/// unless re-enrolment is allowed earlier.
struct RemovedAgent: Codable, Sendable, Equatable {
    static let blockDuration: TimeInterval = 24 * 3600

    var kind: AgentKind
    var id: String
    var hostname: String?
    var displayName: String?
    var agentID: String?
    var removedAt: Date
    var blockedUntil: Date

    func blocks(at now: Date) -> Bool { now < blockedUntil }
}

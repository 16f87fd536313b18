package import AgentProtocol
package import Foundation

/// Which kind of agent a record or block belongs to.
package enum AgentKind: String, Codable, Sendable, CaseIterable {
    case host, docker, kubernetes
}

/// The token that delivered a report, as remembered with the resource.
package struct ReportingToken: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var hint: String
    package var scopes: [Scope]

    package init(id: String, name: String, hint: String, scopes: [Scope]) {
        self.id = id
        self.name = name
        self.hint = hint
        self.scopes = scopes
    }
}

/// Everything the server keeps about one host agent. Persisted as JSON, so a restart restores it.
package struct HostAgentRecord: Codable, Sendable {
    package var id: String
    /// The latest accepted report, as sent.
    package var report: HostReport
    /// Server time the latest report arrived; offline detection uses this, never the agent clock.
    package var receivedAt: Date
    package var token: ReportingToken?
    var customDisplayName: String?
    var diskRates: [String: DiskIORates] = [:]
    var networkRates: [String: NetworkRates] = [:]
    /// Reports accepted from this host since it was first seen (repeats not counted).
    var reportsReceived: Int? = nil

    package var hostname: String { report.host.hostname }
    package var displayName: String { customDisplayName ?? report.host.displayName ?? report.host.hostname }
}

/// A command queued for a Docker agent, delivered in the next report reply until acknowledged.
package struct QueuedCommand: Codable, Sendable, Equatable {
    package enum Status: String, Codable, Sendable {
        case queued, sent, acknowledged, inProgress = "in_progress", completed, failed, expired
    }

    package var id: String
    package var type: AgentCommandType
    package var status: Status
    package var createdAt: Date
    package var updatedAt: Date
    var expiresAt: Date
    package var message: String?

    /// Still waiting for the agent to take it.
    package func isDeliverable(at now: Date) -> Bool {
        (status == .queued || status == .sent) && now < expiresAt
    }
}

/// Everything the server keeps about one Docker (or Podman) host.
package struct DockerAgentRecord: Codable, Sendable {
    package var id: String
    package var report: DockerReport
    package var receivedAt: Date
    package var token: ReportingToken?
    var customDisplayName: String?
    package var hidden = false
    package var pendingUninstall = false
    package var command: QueuedCommand?
    var blockIORates: [String: BlockIORates] = [:]
    var networkRates: [String: NetworkRates] = [:]

    var agentID: String { report.agent.id }
    package var hostname: String { report.host.hostname }
    package var displayName: String { customDisplayName ?? report.host.name ?? report.host.hostname }
}

/// Everything the server keeps about one Kubernetes cluster.
package struct KubernetesAgentRecord: Codable, Sendable {
    package var id: String
    package var report: KubernetesReport
    package var receivedAt: Date
    package var token: ReportingToken?
    var customDisplayName: String?
    package var hidden = false
    package var pendingUninstall = false

    var agentID: String { report.agent.id }
    package var displayName: String { customDisplayName ?? report.cluster.name ?? id }
}

/// A resource an administrator removed: it stays listed, and its agent is refused, for 24 hours
/// unless re-enrolment is allowed earlier.
package struct RemovedAgent: Codable, Sendable, Equatable {
    static let blockDuration: TimeInterval = 24 * 3600

    package var kind: AgentKind
    package var id: String
    package var hostname: String?
    package var displayName: String?
    var agentID: String?
    var removedAt: Date
    var blockedUntil: Date

    package func blocks(at now: Date) -> Bool { now < blockedUntil }
}

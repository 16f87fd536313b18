#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The server's answer to a host report.
public struct HostReportReply: Codable, Sendable, Equatable {
    /// Always `true` on a 2xx reply.
    public var success: Bool
    /// The ID the server assigned to the host.
    public var hostId: String
    /// The host's new last-seen time.
    public var lastSeen: Date
    /// Platform as stored, e.g. `linux`.
    public var platform: String?
    /// OS name as stored.
    public var osName: String?
    /// OS version as stored.
    public var osVersion: String?
    /// Server-side overrides of the agent's configuration; absent when there are none.
    public var config: HostAgentConfig?

    public init(
        success: Bool = true,
        hostId: String,
        lastSeen: Date,
        platform: String? = nil,
        osName: String? = nil,
        osVersion: String? = nil,
        config: HostAgentConfig? = nil
    ) {
        self.success = success
        self.hostId = hostId
        self.lastSeen = lastSeen
        self.platform = platform
        self.osName = osName
        self.osVersion = osVersion
        self.config = config
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(.success, default: false)
        hostId = try c.decode(.hostId, default: "")
        lastSeen = try c.decode(.lastSeen, default: .goZeroTime)
        platform = try c.decodeIfPresent(.platform)
        osName = try c.decodeIfPresent(.osName)
        osVersion = try c.decodeIfPresent(.osVersion)
        config = try c.decodeIfPresent(.config)
    }
}

/// Configuration the server pushes to a host agent in its ``HostReportReply`` (and answers to
/// `GET /api/agents/host/{id}/config`).
public struct HostAgentConfig: Codable, Sendable, Equatable {
    /// Whether the agent should accept remote (AI) command execution; nil leaves the agent's own choice.
    public var commandsEnabled: Bool?
    /// Settings the agent applies without a restart; nil or empty when the server holds none.
    public var settings: HostAgentSettings?
    /// True when the agent is asked to remove itself (service, binary, state) and stop; Pulse v5
    /// agents ignore it.
    public var uninstall: Bool?

    public init(commandsEnabled: Bool? = nil, settings: HostAgentSettings? = nil, uninstall: Bool? = nil) {
        self.commandsEnabled = commandsEnabled
        self.settings = settings
        self.uninstall = uninstall
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        commandsEnabled = try c.decodeIfPresent(.commandsEnabled)
        settings = try c.decodeIfPresent(.settings)
        uninstall = try c.decodeIfPresent(.uninstall)
    }

    /// True when there is nothing to tell the agent (then replies leave `config` out, as Pulse does).
    public var isEmpty: Bool { commandsEnabled == nil && (settings?.isEmpty ?? true) && uninstall != true }
}

/// The server's answer to a Docker report; may carry one command.
public struct DockerReportReply: Codable, Sendable, Equatable {
    /// Always `true` on a 2xx reply.
    public var success: Bool
    /// The ID the server assigned to the Docker host; used in command acks.
    public var hostId: String
    /// Number of containers the server stored.
    public var containers: Int
    /// The host's new last-seen time.
    public var lastSeen: Date
    /// Pending commands (at most one).
    public var commands: [AgentCommand]?

    public init(
        success: Bool = true, hostId: String, containers: Int, lastSeen: Date, commands: [AgentCommand]? = nil
    ) {
        self.success = success
        self.hostId = hostId
        self.containers = containers
        self.lastSeen = lastSeen
        self.commands = commands
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(.success, default: false)
        hostId = try c.decode(.hostId, default: "")
        containers = try c.decode(.containers, default: 0)
        lastSeen = try c.decode(.lastSeen, default: .goZeroTime)
        commands = try c.decodeIfPresent(.commands)
    }
}

/// The server's answer to a Kubernetes report.
public struct KubernetesReportReply: Codable, Sendable, Equatable {
    /// Always `true` on a 2xx reply.
    public var success: Bool
    /// The ID the server assigned to the cluster.
    public var clusterId: String
    /// Number of nodes stored.
    public var nodes: Int
    /// Number of pods stored.
    public var pods: Int
    /// Number of deployments stored.
    public var deployments: Int
    /// The cluster's new last-seen time.
    public var lastSeen: Date

    public init(success: Bool = true, clusterId: String, nodes: Int, pods: Int, deployments: Int, lastSeen: Date) {
        self.success = success
        self.clusterId = clusterId
        self.nodes = nodes
        self.pods = pods
        self.deployments = deployments
        self.lastSeen = lastSeen
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(.success, default: false)
        clusterId = try c.decode(.clusterId, default: "")
        nodes = try c.decode(.nodes, default: 0)
        pods = try c.decode(.pods, default: 0)
        deployments = try c.decode(.deployments, default: 0)
        lastSeen = try c.decode(.lastSeen, default: .goZeroTime)
    }
}

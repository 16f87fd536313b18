#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Docker Swarm membership of the reporting node (`host.swarm`). Every field is optional.
public struct SwarmInfo: Codable, Sendable, Equatable {
    /// This node's swarm node ID.
    public var nodeId: String?
    /// `manager` or `worker`.
    public var nodeRole: String?
    /// `active`, `pending`, `error`, `locked` or `inactive`.
    public var localState: String?
    /// Whether this node can serve the swarm API (a reachable manager).
    public var controlAvailable: Bool?
    /// Swarm cluster ID.
    public var clusterId: String?
    /// Swarm cluster name.
    public var clusterName: String?
    /// Collection scope the agent was configured with: `auto`, `node` or `cluster`.
    public var scope: String?
    /// Why swarm data could not be collected.
    public var error: String?

    public init(
        nodeId: String? = nil,
        nodeRole: String? = nil,
        localState: String? = nil,
        controlAvailable: Bool? = nil,
        clusterId: String? = nil,
        clusterName: String? = nil,
        scope: String? = nil,
        error: String? = nil
    ) {
        self.nodeId = nodeId
        self.nodeRole = nodeRole
        self.localState = localState
        self.controlAvailable = controlAvailable
        self.clusterId = clusterId
        self.clusterName = clusterName
        self.scope = scope
        self.error = error
    }
}

/// One Swarm service and its task counts (`services[]`).
public struct SwarmService: Codable, Sendable, Equatable {
    /// Service ID.
    public var id: String
    /// Service name, e.g. `web_nginx`.
    public var name: String
    /// Stack name (`com.docker.stack.namespace`).
    public var stack: String?
    /// Image reference.
    public var image: String?
    /// `replicated`, `global`, `replicated-job` or `global-job`.
    public var mode: String?
    /// Tasks the service wants running.
    public var desiredTasks: Int?
    /// Tasks running.
    public var runningTasks: Int?
    /// Tasks completed (jobs).
    public var completedTasks: Int?
    /// Service labels.
    public var labels: [String: String]?
    /// Published endpoint ports.
    public var endpointPorts: [SwarmServicePort]?
    /// Rolling update progress.
    public var updateStatus: SwarmServiceUpdate?
    /// When the service was created.
    public var createdAt: Date?
    /// When the service was last updated.
    public var updatedAt: Date?

    public init(
        id: String,
        name: String,
        stack: String? = nil,
        image: String? = nil,
        mode: String? = nil,
        desiredTasks: Int? = nil,
        runningTasks: Int? = nil,
        completedTasks: Int? = nil,
        labels: [String: String]? = nil,
        endpointPorts: [SwarmServicePort]? = nil,
        updateStatus: SwarmServiceUpdate? = nil,
        createdAt: Date? = nil,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.stack = stack
        self.image = image
        self.mode = mode
        self.desiredTasks = desiredTasks
        self.runningTasks = runningTasks
        self.completedTasks = completedTasks
        self.labels = labels
        self.endpointPorts = endpointPorts
        self.updateStatus = updateStatus
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        name = try c.decode(.name, default: "")
        stack = try c.decodeIfPresent(.stack)
        image = try c.decodeIfPresent(.image)
        mode = try c.decodeIfPresent(.mode)
        desiredTasks = try c.decodeIfPresent(.desiredTasks)
        runningTasks = try c.decodeIfPresent(.runningTasks)
        completedTasks = try c.decodeIfPresent(.completedTasks)
        labels = try c.decodeIfPresent(.labels)
        endpointPorts = try c.decodeIfPresent(.endpointPorts)
        updateStatus = try c.decodeIfPresent(.updateStatus)
        createdAt = try c.decodeIfPresent(.createdAt)
        updatedAt = try c.decodeIfPresent(.updatedAt)
    }
}

/// A published port of a Swarm service. Every field is optional.
public struct SwarmServicePort: Codable, Sendable, Equatable {
    /// Port name.
    public var name: String?
    /// `tcp`, `udp` or `sctp`.
    public var `protocol`: String?
    /// Port inside the service's containers.
    public var targetPort: Int?
    /// Port published on the swarm.
    public var publishedPort: Int?
    /// `ingress` or `host`.
    public var publishMode: String?

    public init(
        name: String? = nil,
        protocol: String? = nil,
        targetPort: Int? = nil,
        publishedPort: Int? = nil,
        publishMode: String? = nil
    ) {
        self.name = name
        self.protocol = `protocol`
        self.targetPort = targetPort
        self.publishedPort = publishedPort
        self.publishMode = publishMode
    }
}

/// Progress of a Swarm service's rolling update. Every field is optional.
public struct SwarmServiceUpdate: Codable, Sendable, Equatable {
    /// `updating`, `paused`, `completed`, `rollback_started`, …
    public var state: String?
    /// The engine's message.
    public var message: String?
    /// When the update finished.
    public var completedAt: Date?

    public init(state: String? = nil, message: String? = nil, completedAt: Date? = nil) {
        self.state = state
        self.message = message
        self.completedAt = completedAt
    }
}

/// One Swarm task, a replica of a service (`tasks[]`).
public struct SwarmTask: Codable, Sendable, Equatable {
    /// Task ID.
    public var id: String
    /// ID of the task's service.
    public var serviceId: String?
    /// Name of the task's service.
    public var serviceName: String?
    /// Replica slot (replicated services).
    public var slot: Int?
    /// Node the task is assigned to.
    public var nodeId: String?
    /// Hostname of that node.
    public var nodeName: String?
    /// State the orchestrator wants, e.g. `running`, `shutdown`.
    public var desiredState: String?
    /// Actual state, e.g. `running`, `failed`, `rejected`.
    public var currentState: String?
    /// Error of a failed task.
    public var error: String?
    /// Status message.
    public var message: String?
    /// ID of the task's container.
    public var containerId: String?
    /// Name of the task's container.
    public var containerName: String?
    /// When the task was created; always written (Go's zero time when unknown).
    public var createdAt: Date
    /// When the task was last updated.
    public var updatedAt: Date?
    /// When the task's container started.
    public var startedAt: Date?
    /// When the task finished.
    public var completedAt: Date?

    public init(
        id: String,
        serviceId: String? = nil,
        serviceName: String? = nil,
        slot: Int? = nil,
        nodeId: String? = nil,
        nodeName: String? = nil,
        desiredState: String? = nil,
        currentState: String? = nil,
        error: String? = nil,
        message: String? = nil,
        containerId: String? = nil,
        containerName: String? = nil,
        createdAt: Date = .goZeroTime,
        updatedAt: Date? = nil,
        startedAt: Date? = nil,
        completedAt: Date? = nil
    ) {
        self.id = id
        self.serviceId = serviceId
        self.serviceName = serviceName
        self.slot = slot
        self.nodeId = nodeId
        self.nodeName = nodeName
        self.desiredState = desiredState
        self.currentState = currentState
        self.error = error
        self.message = message
        self.containerId = containerId
        self.containerName = containerName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.startedAt = startedAt
        self.completedAt = completedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        serviceId = try c.decodeIfPresent(.serviceId)
        serviceName = try c.decodeIfPresent(.serviceName)
        slot = try c.decodeIfPresent(.slot)
        nodeId = try c.decodeIfPresent(.nodeId)
        nodeName = try c.decodeIfPresent(.nodeName)
        desiredState = try c.decodeIfPresent(.desiredState)
        currentState = try c.decodeIfPresent(.currentState)
        error = try c.decodeIfPresent(.error)
        message = try c.decodeIfPresent(.message)
        containerId = try c.decodeIfPresent(.containerId)
        containerName = try c.decodeIfPresent(.containerName)
        createdAt = try c.decode(.createdAt, default: .goZeroTime)
        updatedAt = try c.decodeIfPresent(.updatedAt)
        startedAt = try c.decodeIfPresent(.startedAt)
        completedAt = try c.decodeIfPresent(.completedAt)
    }
}

import AgentProtocol

extension EngineAPI {
    /// One entry of `GET /services?status=true` (swarm managers only).
    struct Service: Decodable, Sendable {
        struct Spec: Decodable, Sendable {
            struct Mode: Decodable, Sendable {
                struct Replicated: Decodable, Sendable {
                    let replicas: Int?
                    enum CodingKeys: String, CodingKey { case replicas = "Replicas" }
                }
                let replicated: Replicated?
                let global: IgnoredValue?
                enum CodingKeys: String, CodingKey { case replicated = "Replicated", global = "Global" }
            }
            struct TaskTemplate: Decodable, Sendable {
                struct ContainerSpec: Decodable, Sendable {
                    let image: String?
                    enum CodingKeys: String, CodingKey { case image = "Image" }
                }
                let containerSpec: ContainerSpec?
                enum CodingKeys: String, CodingKey { case containerSpec = "ContainerSpec" }
            }
            let name: String?
            let labels: [String: String]?
            let mode: Mode?
            let taskTemplate: TaskTemplate?
            enum CodingKeys: String, CodingKey { case name = "Name", labels = "Labels", mode = "Mode", taskTemplate = "TaskTemplate" }
        }
        struct Endpoint: Decodable, Sendable {
            struct Port: Decodable, Sendable {
                let name: String?
                let `protocol`: String?
                let targetPort: Int?
                let publishedPort: Int?
                let publishMode: String?
                enum CodingKeys: String, CodingKey {
                    case name = "Name", `protocol` = "Protocol", targetPort = "TargetPort", publishedPort = "PublishedPort"
                    case publishMode = "PublishMode"
                }
            }
            let ports: [Port]?
            enum CodingKeys: String, CodingKey { case ports = "Ports" }
        }
        struct Status: Decodable, Sendable {
            let runningTasks: Int?
            let desiredTasks: Int?
            let completedTasks: Int?
            enum CodingKeys: String, CodingKey {
                case runningTasks = "RunningTasks", desiredTasks = "DesiredTasks", completedTasks = "CompletedTasks"
            }
        }
        struct UpdateStatus: Decodable, Sendable {
            let state: String?
            let message: String?
            let completedAt: String?
            enum CodingKeys: String, CodingKey { case state = "State", message = "Message", completedAt = "CompletedAt" }
        }
        let id: String
        let createdAt: String?
        let updatedAt: String?
        let spec: Spec?
        let endpoint: Endpoint?
        let serviceStatus: Status?
        let updateStatus: UpdateStatus?
        enum CodingKeys: String, CodingKey {
            case id = "ID", createdAt = "CreatedAt", updatedAt = "UpdatedAt", spec = "Spec", endpoint = "Endpoint"
            case serviceStatus = "ServiceStatus", updateStatus = "UpdateStatus"
        }
    }

    /// One entry of `GET /tasks`.
    struct Task: Decodable, Sendable {
        struct Status: Decodable, Sendable {
            struct ContainerStatus: Decodable, Sendable {
                let containerID: String?
                enum CodingKeys: String, CodingKey { case containerID = "ContainerID" }
            }
            let timestamp: String?
            let state: String?
            let message: String?
            let err: String?
            let containerStatus: ContainerStatus?
            enum CodingKeys: String, CodingKey {
                case timestamp = "Timestamp", state = "State", message = "Message", err = "Err", containerStatus = "ContainerStatus"
            }
        }
        let id: String
        let serviceID: String?
        let nodeID: String?
        let slot: Int?
        let desiredState: String?
        let createdAt: String?
        let updatedAt: String?
        let status: Status?
        enum CodingKeys: String, CodingKey {
            case id = "ID", serviceID = "ServiceID", nodeID = "NodeID", slot = "Slot", desiredState = "DesiredState"
            case createdAt = "CreatedAt", updatedAt = "UpdatedAt", status = "Status"
        }
    }
}

/// Swarm services and tasks as the Docker report carries them.
enum SwarmReportBuilder {
    static func service(_ service: EngineAPI.Service) -> SwarmService {
        let spec = service.spec
        let mode = spec?.mode?.global != nil ? "global" : "replicated"
        return SwarmService(
            id: service.id, name: spec?.name ?? service.id, stack: spec?.labels?["com.docker.stack.namespace"],
            image: spec?.taskTemplate?.containerSpec?.image, mode: mode,
            desiredTasks: service.serviceStatus?.desiredTasks ?? spec?.mode?.replicated?.replicas,
            runningTasks: service.serviceStatus?.runningTasks, completedTasks: service.serviceStatus?.completedTasks,
            labels: spec?.labels?.isEmpty == false ? spec?.labels : nil,
            endpointPorts: service.endpoint?.ports.map { ports in
                ports.map {
                    SwarmServicePort(
                        name: $0.name, protocol: $0.protocol, targetPort: $0.targetPort, publishedPort: $0.publishedPort, publishMode: $0.publishMode)
                }
            },
            updateStatus: service.updateStatus.map {
                SwarmServiceUpdate(state: $0.state, message: $0.message, completedAt: $0.completedAt.flatMap(ContainerReportBuilder.time))
            },
            createdAt: service.createdAt.flatMap(ContainerReportBuilder.time),
            updatedAt: service.updatedAt.flatMap(ContainerReportBuilder.time))
    }

    static func task(_ task: EngineAPI.Task, services: [String: String]) -> SwarmTask {
        SwarmTask(
            id: task.id, serviceId: task.serviceID, serviceName: task.serviceID.flatMap { services[$0] }, slot: task.slot,
            nodeId: task.nodeID, desiredState: task.desiredState, currentState: task.status?.state,
            error: task.status?.err.flatMap { $0.isEmpty ? nil : $0 }, message: task.status?.message,
            containerId: task.status?.containerStatus?.containerID,
            createdAt: task.createdAt.flatMap(ContainerReportBuilder.time) ?? .goZeroTime,
            updatedAt: task.updatedAt.flatMap(ContainerReportBuilder.time))
    }
}

/// The parts of the Docker Engine API (and Podman's compatible service) the agent reads.
/// Everything optional: Podman leaves out fields Docker sends and vice versa.
enum EngineAPI {
    /// `GET /version`.
    struct Version: Decodable, Sendable {
        struct Component: Decodable, Sendable {
            let name: String?
            let version: String?
            enum CodingKeys: String, CodingKey { case name = "Name", version = "Version" }
        }
        let version: String?
        let apiVersion: String?
        let os: String?
        let arch: String?
        let kernelVersion: String?
        let components: [Component]?

        enum CodingKeys: String, CodingKey {
            case version = "Version", apiVersion = "ApiVersion", os = "Os", arch = "Arch", kernelVersion = "KernelVersion"
            case components = "Components"
        }

        /// True for Podman's Docker-compatible service.
        var isPodman: Bool { components?.contains { $0.name?.lowercased().hasPrefix("podman") == true } == true }
    }

    /// `GET /info`.
    struct Info: Decodable, Sendable {
        struct Swarm: Decodable, Sendable {
            struct Cluster: Decodable, Sendable {
                let id: String?
                enum CodingKeys: String, CodingKey { case id = "ID" }
            }
            let nodeID: String?
            let localNodeState: String?
            let controlAvailable: Bool?
            let error: String?
            let cluster: Cluster?
            enum CodingKeys: String, CodingKey {
                case nodeID = "NodeID", localNodeState = "LocalNodeState", controlAvailable = "ControlAvailable"
                case error = "Error", cluster = "Cluster"
            }
        }
        let id: String?
        let name: String?
        let operatingSystem: String?
        let kernelVersion: String?
        let architecture: String?
        let ncpu: Int?
        let memTotal: Int64?
        let serverVersion: String?
        let swarm: Swarm?

        enum CodingKeys: String, CodingKey {
            case id = "ID", name = "Name", operatingSystem = "OperatingSystem", kernelVersion = "KernelVersion"
            case architecture = "Architecture", ncpu = "NCPU", memTotal = "MemTotal", serverVersion = "ServerVersion"
            case swarm = "Swarm"
        }
    }

    /// One entry of `GET /containers/json?all=1`.
    struct ContainerSummary: Decodable, Sendable {
        struct Port: Decodable, Sendable {
            let ip: String?
            let privatePort: Int?
            let publicPort: Int?
            let type: String?
            enum CodingKeys: String, CodingKey { case ip = "IP", privatePort = "PrivatePort", publicPort = "PublicPort", type = "Type" }
        }
        let id: String
        let names: [String]?
        let image: String?
        let imageID: String?
        let state: String?
        let status: String?
        let created: Int64?
        let ports: [Port]?
        let labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id = "Id", names = "Names", image = "Image", imageID = "ImageID", state = "State", status = "Status", created = "Created"
            case ports = "Ports", labels = "Labels"
        }
    }

    /// The part of `GET /images/{id}/json` the update check reads.
    struct ImageInspect: Decodable, Sendable {
        /// `name@sha256:…` for each registry the image was pulled from or pushed to.
        let repoDigests: [String]?
        enum CodingKeys: String, CodingKey { case repoDigests = "RepoDigests" }
    }

    /// `GET /containers/{id}/json?size=1`.
    struct ContainerInspect: Decodable, Sendable {
        struct State: Decodable, Sendable {
            struct Health: Decodable, Sendable {
                let status: String?
                enum CodingKeys: String, CodingKey { case status = "Status" }
            }
            let status: String?
            let running: Bool?
            let oomKilled: Bool?
            let exitCode: Int?
            let startedAt: String?
            let finishedAt: String?
            let health: Health?
            enum CodingKeys: String, CodingKey {
                case status = "Status", running = "Running", oomKilled = "OOMKilled", exitCode = "ExitCode"
                case startedAt = "StartedAt", finishedAt = "FinishedAt", health = "Health"
            }
        }
        struct Config: Decodable, Sendable {
            let image: String?
            let labels: [String: String]?
            enum CodingKeys: String, CodingKey { case image = "Image", labels = "Labels" }
        }
        struct HostConfig: Decodable, Sendable {
            let memory: Int64?
            enum CodingKeys: String, CodingKey { case memory = "Memory" }
        }
        struct NetworkSettings: Decodable, Sendable {
            struct Endpoint: Decodable, Sendable {
                let ipAddress: String?
                let globalIPv6Address: String?
                enum CodingKeys: String, CodingKey { case ipAddress = "IPAddress", globalIPv6Address = "GlobalIPv6Address" }
            }
            let networks: [String: Endpoint]?
            enum CodingKeys: String, CodingKey { case networks = "Networks" }
        }
        struct Mount: Decodable, Sendable {
            let type: String?
            let name: String?
            let source: String?
            let destination: String?
            let driver: String?
            let mode: String?
            let rw: Bool?
            let propagation: String?
            enum CodingKeys: String, CodingKey {
                case type = "Type", name = "Name", source = "Source", destination = "Destination", driver = "Driver"
                case mode = "Mode", rw = "RW", propagation = "Propagation"
            }
        }
        let id: String
        let name: String?
        let created: String?
        let image: String?
        let restartCount: Int?
        let state: State?
        let config: Config?
        let hostConfig: HostConfig?
        let networkSettings: NetworkSettings?
        let mounts: [Mount]?
        let sizeRw: Int64?
        let sizeRootFs: Int64?
        /// Podman only.
        let pod: String?

        enum CodingKeys: String, CodingKey {
            case id = "Id", name = "Name", created = "Created", image = "Image", restartCount = "RestartCount", state = "State"
            case config = "Config", hostConfig = "HostConfig", networkSettings = "NetworkSettings", mounts = "Mounts"
            case sizeRw = "SizeRw", sizeRootFs = "SizeRootFs", pod = "Pod"
        }
    }

    /// `GET /containers/{id}/stats?stream=false`.
    struct Stats: Decodable, Sendable {
        struct CPU: Decodable, Sendable {
            struct Usage: Decodable, Sendable {
                let totalUsage: UInt64?
                let percpuUsage: [UInt64]?
                enum CodingKeys: String, CodingKey { case totalUsage = "total_usage", percpuUsage = "percpu_usage" }
            }
            let cpuUsage: Usage?
            let systemCPUUsage: UInt64?
            let onlineCPUs: Int?
            enum CodingKeys: String, CodingKey {
                case cpuUsage = "cpu_usage", systemCPUUsage = "system_cpu_usage", onlineCPUs = "online_cpus"
            }
        }
        struct Memory: Decodable, Sendable {
            let usage: Int64?
            let limit: Int64?
            let stats: [String: Int64]?
        }
        struct BlockIO: Decodable, Sendable {
            struct Entry: Decodable, Sendable {
                let op: String?
                let value: UInt64?
            }
            let ioServiceBytesRecursive: [Entry]?
            enum CodingKeys: String, CodingKey { case ioServiceBytesRecursive = "io_service_bytes_recursive" }
        }
        let read: String?
        let cpuStats: CPU?
        let precpuStats: CPU?
        let memoryStats: Memory?
        let blkioStats: BlockIO?

        enum CodingKeys: String, CodingKey {
            case read, cpuStats = "cpu_stats", precpuStats = "precpu_stats", memoryStats = "memory_stats", blkioStats = "blkio_stats"
        }
    }
}

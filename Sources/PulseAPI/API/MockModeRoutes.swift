import AgentProtocol
package import DemoMode
import Foundation
import Hummingbird
import PulseCore
import PulseSupport

/// Demo mode (Pulse's "mock mode"), at run time:
///
/// - `GET /api/system/mock-mode` (`settings:read`): `{"enabled", "config"}`, the configuration in
///   Pulse's field names (`NodeCount`, `VMsPerNode`, …, `StoppedPercent` as a fraction);
/// - `POST` or `PUT /api/system/mock-mode` (`settings:write`) `{"enabled"?, "config"?: {"nodeCount",
///   "vmsPerNode", "lxcsPerNode", "randomMetrics", "highLoadNodes", "stoppedPercent", and ours:
///   "dockerHostCount", "dockerContainersPerHost", "genericHostCount", "k8sClusterCount",
///   "k8sNodesPerCluster", "k8sPodsPerCluster", "k8sDeploymentsPerCluster"}}`: the keys present
///   change, then the reply is as for `GET`. A value out of bounds → 400 naming the field, and
///   nothing changes. Switching on answers once the first reading is in the state; a new
///   configuration while on replaces the estate; switching off removes every demo record.
package struct MockModeRoutes {
    package let demo: DemoMode
    package let audit: AuditLog

    package init(demo: DemoMode, audit: AuditLog) {
        self.demo = demo
        self.audit = audit
    }

    /// Pulse's limit on the body.
    static let bodyLimit = 16 * 1024

    package func register(on routes: ScopedRouter) {
        let path = "/api/system/mock-mode"
        routes.get(path, access: .scope(.settingsRead)) { _, _ in
            JSONResponse(Status(enabled: await demo.isEnabled, configuration: await demo.configuration))
        }
        let update: ScopedRouter.Handler<JSONResponse<Status>> = { request, context in
            var request = request
            let change = try await request.decodeJSON(Change.self, limit: Self.bodyLimit)
            let current = await demo.configuration
            let configuration = try change.config.map { try $0.applied(to: current) }
            await demo.change(configuration: configuration, enabled: change.enabled)
            let status = Status(enabled: await demo.isEnabled, configuration: await demo.configuration)
            audit.record(
                "mock_mode_change", actor: context.authentication.actor, ip: context.clientIP,
                details: "enabled=\(status.enabled) nodes=\(status.configuration.nodes) guests=\(status.configuration.guests)")
            return JSONResponse(status)
        }
        routes.post(path, access: .scope(.settingsWrite), use: update)
        routes.put(path, access: .scope(.settingsWrite), use: update)
    }

    /// A request: what to switch and change; absent keys stay as they are.
    struct Change: Decodable {
        var enabled: Bool?
        var config: ConfigurationChange?
    }

    /// The configuration keys a request may set (Pulse's, then ours for the other counts).
    struct ConfigurationChange: Decodable {
        var nodeCount: Int?
        var vmsPerNode: Int?
        var lxcsPerNode: Int?
        var randomMetrics: Bool?
        var highLoadNodes: [String]?
        var stoppedPercent: Double?
        var dockerHostCount: Int?
        var dockerContainersPerHost: Int?
        var genericHostCount: Int?
        var k8sClusterCount: Int?
        var k8sNodesPerCluster: Int?
        var k8sPodsPerCluster: Int?
        var k8sDeploymentsPerCluster: Int?

        /// `current` with the keys present; throws 400 naming the first field out of bounds.
        func applied(to current: DemoConfiguration) throws -> DemoConfiguration {
            var next = current
            next.nodes = nodeCount ?? next.nodes
            next.vmsPerNode = vmsPerNode ?? next.vmsPerNode
            next.lxcsPerNode = lxcsPerNode ?? next.lxcsPerNode
            next.randomMetrics = randomMetrics ?? next.randomMetrics
            next.highLoadNodes = highLoadNodes ?? next.highLoadNodes
            next.stoppedFraction = stoppedPercent ?? next.stoppedFraction
            next.dockerHosts = dockerHostCount ?? next.dockerHosts
            next.dockerContainersPerHost = dockerContainersPerHost ?? next.dockerContainersPerHost
            next.genericHosts = genericHostCount ?? next.genericHosts
            next.kubernetesClusters = k8sClusterCount ?? next.kubernetesClusters
            next.kubernetesNodesPerCluster = k8sNodesPerCluster ?? next.kubernetesNodesPerCluster
            next.kubernetesPodsPerCluster = k8sPodsPerCluster ?? next.kubernetesPodsPerCluster
            next.kubernetesDeploymentsPerCluster = k8sDeploymentsPerCluster ?? next.kubernetesDeploymentsPerCluster
            if let problem = next.problem() {
                throw DomainError.invalid(problem.message, field: "config.\(problem.field)")
            }
            return next
        }
    }

    /// The reply: on or off, and the configuration in Pulse's names (its Go field names).
    package struct Status: Encodable, Sendable {
        let enabled: Bool
        let configuration: DemoConfiguration

        enum Keys: String, CodingKey {
            case enabled, config
        }

        enum ConfigKeys: String, CodingKey {
            case NodeCount, VMsPerNode, LXCsPerNode, DockerHostCount, DockerContainersPerHost, GenericHostCount, K8sClusterCount
            case K8sNodesPerCluster, K8sPodsPerCluster, K8sDeploymentsPerCluster, RandomMetrics, HighLoadNodes, StoppedPercent
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(enabled, forKey: .enabled)
            var config = container.nestedContainer(keyedBy: ConfigKeys.self, forKey: .config)
            let c = configuration
            try config.encode(c.nodes, forKey: .NodeCount)
            try config.encode(c.vmsPerNode, forKey: .VMsPerNode)
            try config.encode(c.lxcsPerNode, forKey: .LXCsPerNode)
            try config.encode(c.dockerHosts, forKey: .DockerHostCount)
            try config.encode(c.dockerContainersPerHost, forKey: .DockerContainersPerHost)
            try config.encode(c.genericHosts, forKey: .GenericHostCount)
            try config.encode(c.kubernetesClusters, forKey: .K8sClusterCount)
            try config.encode(c.kubernetesNodesPerCluster, forKey: .K8sNodesPerCluster)
            try config.encode(c.kubernetesPodsPerCluster, forKey: .K8sPodsPerCluster)
            try config.encode(c.kubernetesDeploymentsPerCluster, forKey: .K8sDeploymentsPerCluster)
            try config.encode(c.randomMetrics, forKey: .RandomMetrics)
            // Go writes an unset list as null.
            if c.highLoadNodes.isEmpty {
                try config.encodeNil(forKey: .HighLoadNodes)
            } else {
                try config.encode(c.highLoadNodes, forKey: .HighLoadNodes)
            }
            try config.encode(c.stoppedFraction, forKey: .StoppedPercent)
        }
    }
}

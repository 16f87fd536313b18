import AgentProtocol
import Foundation
import PulseCore

/// What the tools show of the estate. Each view is built field by field from the model values
/// and names only monitoring facts: no token, credential, label, note, comment, address or
/// free-form metadata, so nothing a tool returns can carry a secret.
struct ToolResource: Encodable, Sendable {
    var id: String
    var type: String
    var name: String
    var status: String
    var parentId: String?
    var clusterId: String?
    /// Percent.
    var cpu: Double?
    var memoryPercent: Double?
    var diskPercent: Double?
    var uptimeSeconds: Int64?
    var temperatureCelsius: Double?
    var alerts: [String]?

    init(_ resource: Resource) {
        id = resource.id
        type = resource.type.rawValue
        name = resource.displayName
        status = resource.status.rawValue
        parentId = resource.parentId
        clusterId = resource.clusterId
        cpu = resource.cpu.map { Self.rounded($0.current) }
        memoryPercent = resource.memory.map { Self.rounded($0.current) }
        diskPercent = resource.disk.map { Self.rounded($0.current) }
        uptimeSeconds = resource.uptime
        temperatureCelsius = resource.temperature.map(Self.rounded)
        alerts = resource.alerts.map { $0.map { "\($0.level) \($0.type): \(Self.rounded($0.value)) over \(Self.rounded($0.threshold))" } }
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}

/// An active alert, without its free-form metadata.
struct ToolAlert: Encodable, Sendable {
    var id: String
    var type: String
    var level: String
    var resourceId: String
    var resourceName: String
    var node: String
    var message: String
    var value: Double
    var threshold: Double
    var since: String
    var acknowledged: Bool

    init(_ alert: Alert) {
        id = alert.id
        type = alert.type
        level = alert.level.rawValue
        resourceId = alert.resourceId
        resourceName = alert.resourceName
        node = alert.node
        message = alert.message
        value = ToolResource.rounded(alert.value)
        threshold = ToolResource.rounded(alert.threshold)
        since = ISO8601DateFormatter().string(from: alert.startTime)
        acknowledged = alert.acknowledged
    }
}

/// One backup of a guest, wherever it is kept.
struct ToolBackup: Encodable, Sendable {
    var source: String
    var store: String
    var time: String
    var sizeBytes: UInt64?
    var verified: Bool?
    var status: String?
}

/// What is wrong in one Kubernetes cluster.
struct ToolKubernetesProblems: Encodable, Sendable {
    var clusterId: String
    var name: String
    var status: String
    var nodesNotReady: [String]
    var podProblems: [String]
    var deploymentProblems: [String]

    var isEmpty: Bool { nodesNotReady.isEmpty && podProblems.isEmpty && deploymentProblems.isEmpty && status == "online" }

    /// Pods restarting more often than this count as a problem.
    static let restartLimit = 5

    init(_ cluster: KubernetesClusterView) {
        clusterId = cluster.id
        name = cluster.displayName
        status = cluster.status
        nodesNotReady = (cluster.nodes ?? []).filter { !$0.ready }.map(\.name)
        podProblems = (cluster.pods ?? []).compactMap { pod in
            let phase = pod.phase ?? "Unknown"
            let healthy = phase == "Running" || phase == "Succeeded"
            guard !healthy || pod.restarts > Self.restartLimit else { return nil }
            var text = "\(pod.namespace)/\(pod.name): \(phase)"
            if let reason = pod.reason, !reason.isEmpty { text += " (\(reason))" }
            if pod.restarts > 0 { text += ", \(pod.restarts) restarts" }
            return text
        }
        deploymentProblems = (cluster.deployments ?? []).compactMap { deployment in
            let desired = deployment.desiredReplicas ?? 0
            let ready = deployment.readyReplicas ?? 0
            guard ready < desired else { return nil }
            return "\(deployment.namespace)/\(deployment.name): \(ready) of \(desired) replicas ready"
        }
    }
}

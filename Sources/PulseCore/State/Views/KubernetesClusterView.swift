package import AgentProtocol
import Foundation
import PulseSupport

/// A Kubernetes cluster as `/api/state` shows it in `kubernetesClusters[]` (timestamps in Unix ms).
package struct KubernetesClusterView: Encodable, Sendable {
    package var id: String
    var agentId: String
    package var name: String?
    package var displayName: String
    var customDisplayName: String?
    package var server: String?
    package var context: String?
    package var version: String?
    package var provider: String?
    package var status: String
    package var lastSeen: Int64
    var reportedAt: Int64?
    var intervalSeconds: Int
    package var agentVersion: String?
    package var tokenId: String?
    package var tokenName: String?
    package var tokenHint: String?
    package var hidden: Bool
    package var pendingUninstall: Bool
    package var nodes: [NodeView]?
    package var pods: [PodView]?
    package var deployments: [KubernetesDeployment]?
    var statefulSets: [KubernetesStatefulSet]?
    var daemonSets: [KubernetesDaemonSet]?

    package init(_ record: KubernetesAgentRecord, status: AgentStatus) {
        let report = record.report
        id = record.id
        agentId = report.agent.id
        name = report.cluster.name
        displayName = record.displayName
        customDisplayName = record.customDisplayName
        server = report.cluster.server
        context = report.cluster.context
        version = report.cluster.version
        provider = report.cluster.provider
        self.status = status.rawValue
        lastSeen = record.receivedAt.unixMillis
        reportedAt = report.timestamp.isGoZeroTime ? nil : report.timestamp.unixMillis
        intervalSeconds = report.agent.intervalSeconds
        agentVersion = report.agent.version
        tokenId = record.token?.id
        tokenName = record.token?.name
        tokenHint = record.token?.hint
        hidden = record.hidden
        pendingUninstall = record.pendingUninstall
        nodes = report.nodes?.map(NodeView.init).nonEmpty
        pods = report.pods?.map(PodView.init).nonEmpty
        deployments = report.deployments?.nonEmpty
        statefulSets = report.statefulSets?.nonEmpty
        daemonSets = report.daemonSets?.nonEmpty
    }

    /// A node with its resources flattened, as Pulse's frontend reads them.
    package struct NodeView: Encodable, Sendable {
        var uid: String
        package var name: String
        package var ready: Bool
        var unschedulable: Bool
        var kubeletVersion: String?
        var containerRuntimeVersion: String?
        var osImage: String?
        package var kernelVersion: String?
        package var architecture: String?
        var capacityCpuCores: Int64?
        var capacityMemoryBytes: Int64?
        var capacityPods: Int64?
        var allocatableCpuCores: Int64?
        var allocatableMemoryBytes: Int64?
        var allocatablePods: Int64?
        var roles: [String]?

        package init(_ node: KubernetesNode) {
            uid = node.uid
            name = node.name
            ready = node.ready
            unschedulable = node.unschedulable ?? false
            kubeletVersion = node.kubeletVersion
            containerRuntimeVersion = node.containerRuntimeVersion
            osImage = node.osImage
            kernelVersion = node.kernelVersion
            architecture = node.architecture
            capacityCpuCores = node.capacity.cpuCores
            capacityMemoryBytes = node.capacity.memoryBytes
            capacityPods = node.capacity.pods
            allocatableCpuCores = node.allocatable.cpuCores
            allocatableMemoryBytes = node.allocatable.memoryBytes
            allocatablePods = node.allocatable.pods
            roles = node.roles?.nonEmpty
        }
    }

    /// A pod with its times in Unix ms.
    package struct PodView: Encodable, Sendable {
        var uid: String
        package var name: String
        package var namespace: String
        var nodeName: String?
        package var phase: String?
        package var reason: String?
        package var message: String?
        var qosClass: String?
        package var createdAt: Int64
        package var startTime: Int64?
        package var restarts: Int
        package var labels: [String: String]?
        var ownerKind: String?
        var ownerName: String?
        package var containers: [PodContainer]?

        package init(_ pod: KubernetesPod) {
            uid = pod.uid
            name = pod.name
            namespace = pod.namespace
            nodeName = pod.nodeName
            phase = pod.phase
            reason = pod.reason
            message = pod.message
            qosClass = pod.qosClass
            createdAt = pod.createdAt.unixMillis
            startTime = pod.startTime.flatMap { $0.isGoZeroTime ? nil : $0.unixMillis }
            restarts = pod.restarts ?? 0
            labels = pod.labels.flatMap { $0.isEmpty ? nil : $0 }
            ownerKind = pod.ownerKind
            ownerName = pod.ownerName
            containers = pod.containers?.nonEmpty
        }
    }
}

/// An entry of `removedDockerHosts` / `removedKubernetesClusters` / `removedHosts`.
package struct RemovedAgentView: Encodable, Sendable {
    package var id: String
    package var hostname: String?
    package var displayName: String?
    var removedAt: Int64
    var blockedUntil: Int64

    package init(_ removed: RemovedAgent) {
        id = removed.id
        hostname = removed.hostname
        displayName = removed.displayName
        removedAt = removed.removedAt.unixMillis
        blockedUntil = removed.blockedUntil.unixMillis
    }
}

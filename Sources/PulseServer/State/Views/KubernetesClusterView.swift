import AgentProtocol
import Foundation

/// A Kubernetes cluster as `/api/state` shows it in `kubernetesClusters[]` (timestamps in Unix ms).
struct KubernetesClusterView: Encodable, Sendable {
    var id: String
    var agentId: String
    var name: String?
    var displayName: String
    var customDisplayName: String?
    var server: String?
    var context: String?
    var version: String?
    var provider: String?
    var status: String
    var lastSeen: Int64
    var reportedAt: Int64?
    var intervalSeconds: Int
    var agentVersion: String?
    var tokenId: String?
    var tokenName: String?
    var tokenHint: String?
    var hidden: Bool
    var pendingUninstall: Bool
    var nodes: [NodeView]?
    var pods: [PodView]?
    var deployments: [KubernetesDeployment]?
    var statefulSets: [KubernetesStatefulSet]?
    var daemonSets: [KubernetesDaemonSet]?

    init(_ record: KubernetesAgentRecord, status: AgentStatus) {
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
    struct NodeView: Encodable, Sendable {
        var uid: String
        var name: String
        var ready: Bool
        var unschedulable: Bool
        var kubeletVersion: String?
        var containerRuntimeVersion: String?
        var osImage: String?
        var kernelVersion: String?
        var architecture: String?
        var capacityCpuCores: Int64?
        var capacityMemoryBytes: Int64?
        var capacityPods: Int64?
        var allocatableCpuCores: Int64?
        var allocatableMemoryBytes: Int64?
        var allocatablePods: Int64?
        var roles: [String]?

        init(_ node: KubernetesNode) {
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
    struct PodView: Encodable, Sendable {
        var uid: String
        var name: String
        var namespace: String
        var nodeName: String?
        var phase: String?
        var reason: String?
        var message: String?
        var qosClass: String?
        var createdAt: Int64
        var startTime: Int64?
        var restarts: Int
        var labels: [String: String]?
        var ownerKind: String?
        var ownerName: String?
        var containers: [PodContainer]?

        init(_ pod: KubernetesPod) {
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
struct RemovedAgentView: Encodable, Sendable {
    var id: String
    var hostname: String?
    var displayName: String?
    var removedAt: Int64
    var blockedUntil: Int64

    init(_ removed: RemovedAgent) {
        id = removed.id
        hostname = removed.hostname
        displayName = removed.displayName
        removedAt = removed.removedAt.unixMillis
        blockedUntil = removed.blockedUntil.unixMillis
    }
}

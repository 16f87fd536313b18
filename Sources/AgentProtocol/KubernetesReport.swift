#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One heartbeat of the Kubernetes module, the body of `POST /api/agents/kubernetes/report`.
///
/// Wire-compatible with Pulse v5 (`pkg/agents/kubernetes.Report`), plus ``statefulSets`` and ``daemonSets``,
/// which Pulse v5 does not send (a Pulse v5 server ignores them). Same conventions as ``HostReport``.
/// By default the agent sends only problem pods and deployments below their desired replica count.
public struct KubernetesReport: Codable, Sendable, Equatable {
    /// The reporting agent.
    public var agent: AgentInfo
    /// The cluster.
    public var cluster: KubernetesCluster
    /// Nodes.
    public var nodes: [KubernetesNode]?
    /// Pods (by default only those with problems, capped at `--kube-max-pods`).
    public var pods: [KubernetesPod]?
    /// Deployments (by default only those below their desired replica count).
    public var deployments: [KubernetesDeployment]?
    /// StatefulSets. Not part of Pulse v5.
    public var statefulSets: [KubernetesStatefulSet]?
    /// DaemonSets. Not part of Pulse v5.
    public var daemonSets: [KubernetesDaemonSet]?
    /// When the agent collected the report.
    public var timestamp: Date

    public init(
        agent: AgentInfo,
        cluster: KubernetesCluster,
        nodes: [KubernetesNode]? = nil,
        pods: [KubernetesPod]? = nil,
        deployments: [KubernetesDeployment]? = nil,
        statefulSets: [KubernetesStatefulSet]? = nil,
        daemonSets: [KubernetesDaemonSet]? = nil,
        timestamp: Date
    ) {
        self.agent = agent
        self.cluster = cluster
        self.nodes = nodes
        self.pods = pods
        self.deployments = deployments
        self.statefulSets = statefulSets
        self.daemonSets = daemonSets
        self.timestamp = timestamp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agent = try c.decode(.agent, default: AgentInfo(id: "", version: "", intervalSeconds: 0))
        cluster = try c.decode(.cluster, default: KubernetesCluster(id: ""))
        nodes = try c.decodeIfPresent(.nodes)
        pods = try c.decodeIfPresent(.pods)
        deployments = try c.decodeIfPresent(.deployments)
        statefulSets = try c.decodeIfPresent(.statefulSets)
        daemonSets = try c.decodeIfPresent(.daemonSets)
        timestamp = try c.decode(.timestamp, default: .goZeroTime)
    }
}

/// Identity of the monitored cluster (`report.cluster`).
public struct KubernetesCluster: Codable, Sendable, Equatable {
    /// Agent-generated stable cluster ID; the server falls back to `agent.id` when empty.
    public var id: String
    /// Human-friendly name.
    public var name: String?
    /// API server URL.
    public var server: String?
    /// Kubeconfig context, or `in-cluster`.
    public var context: String?
    /// Kubernetes version, e.g. `v1.29.2`.
    public var version: String?
    /// Best-effort provider guess: `gke`, `eks`, `aks`, `k3s`, …
    public var provider: String?
    /// The agent's namespace when it runs in-cluster.
    public var namespace: String?

    public init(
        id: String,
        name: String? = nil,
        server: String? = nil,
        context: String? = nil,
        version: String? = nil,
        provider: String? = nil,
        namespace: String? = nil
    ) {
        self.id = id
        self.name = name
        self.server = server
        self.context = context
        self.version = version
        self.provider = provider
        self.namespace = namespace
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        name = try c.decodeIfPresent(.name)
        server = try c.decodeIfPresent(.server)
        context = try c.decodeIfPresent(.context)
        version = try c.decodeIfPresent(.version)
        provider = try c.decodeIfPresent(.provider)
        namespace = try c.decodeIfPresent(.namespace)
    }
}

/// One cluster node (`nodes[]`).
public struct KubernetesNode: Codable, Sendable, Equatable {
    /// Node UID.
    public var uid: String
    /// Node name.
    public var name: String
    /// Whether the `Ready` condition is `True`.
    public var ready: Bool
    /// Whether the node is cordoned.
    public var unschedulable: Bool?
    /// Kubelet version, e.g. `v1.29.2`.
    public var kubeletVersion: String?
    /// Container runtime, e.g. `containerd://1.7.13`.
    public var containerRuntimeVersion: String?
    /// OS image, e.g. `Ubuntu 22.04.4 LTS`.
    public var osImage: String?
    /// Kernel release.
    public var kernelVersion: String?
    /// CPU architecture, e.g. `amd64`.
    public var architecture: String?
    /// Total resources; always written.
    public var capacity: NodeResources
    /// Resources available to pods; always written.
    public var allocatable: NodeResources
    /// Roles from `node-role.kubernetes.io/*` labels, e.g. `control-plane`.
    public var roles: [String]?

    public init(
        uid: String,
        name: String,
        ready: Bool,
        unschedulable: Bool? = nil,
        kubeletVersion: String? = nil,
        containerRuntimeVersion: String? = nil,
        osImage: String? = nil,
        kernelVersion: String? = nil,
        architecture: String? = nil,
        capacity: NodeResources = NodeResources(),
        allocatable: NodeResources = NodeResources(),
        roles: [String]? = nil
    ) {
        self.uid = uid
        self.name = name
        self.ready = ready
        self.unschedulable = unschedulable
        self.kubeletVersion = kubeletVersion
        self.containerRuntimeVersion = containerRuntimeVersion
        self.osImage = osImage
        self.kernelVersion = kernelVersion
        self.architecture = architecture
        self.capacity = capacity
        self.allocatable = allocatable
        self.roles = roles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decode(.uid, default: "")
        name = try c.decode(.name, default: "")
        ready = try c.decode(.ready, default: false)
        unschedulable = try c.decodeIfPresent(.unschedulable)
        kubeletVersion = try c.decodeIfPresent(.kubeletVersion)
        containerRuntimeVersion = try c.decodeIfPresent(.containerRuntimeVersion)
        osImage = try c.decodeIfPresent(.osImage)
        kernelVersion = try c.decodeIfPresent(.kernelVersion)
        architecture = try c.decodeIfPresent(.architecture)
        capacity = try c.decode(.capacity, default: NodeResources())
        allocatable = try c.decode(.allocatable, default: NodeResources())
        roles = try c.decodeIfPresent(.roles)
    }
}

/// CPU, memory and pod slots of a node. Every field is optional, so `{}` decodes.
public struct NodeResources: Codable, Sendable, Equatable {
    /// Whole CPU cores (millicores rounded down to cores).
    public var cpuCores: Int64?
    /// Memory in bytes.
    public var memoryBytes: Int64?
    /// Maximum number of pods.
    public var pods: Int64?

    public init(cpuCores: Int64? = nil, memoryBytes: Int64? = nil, pods: Int64? = nil) {
        self.cpuCores = cpuCores
        self.memoryBytes = memoryBytes
        self.pods = pods
    }
}

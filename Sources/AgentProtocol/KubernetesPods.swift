#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pod (`pods[]`).
public struct KubernetesPod: Codable, Sendable, Equatable {
    /// Pod UID.
    public var uid: String
    /// Pod name.
    public var name: String
    /// Namespace.
    public var namespace: String
    /// Node the pod is scheduled on; absent while unscheduled.
    public var nodeName: String?
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    /// Best-effort reason, e.g. `Unschedulable`, `Evicted`.
    public var reason: String?
    /// Human-readable message for ``reason``.
    public var message: String?
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    public var qosClass: String?
    /// When the pod object was created; always written.
    public var createdAt: Date
    /// When the kubelet started the pod.
    public var startTime: Date?
    /// Sum of the restart counts of the pod's containers.
    public var restarts: Int?
    /// Pod labels.
    public var labels: [String: String]?
    /// Kind of the controlling owner, e.g. `ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`.
    public var ownerKind: String?
    /// Name of the controlling owner.
    public var ownerName: String?
    /// The pod's containers.
    public var containers: [PodContainer]?

    public init(
        uid: String,
        name: String,
        namespace: String,
        nodeName: String? = nil,
        phase: String? = nil,
        reason: String? = nil,
        message: String? = nil,
        qosClass: String? = nil,
        createdAt: Date,
        startTime: Date? = nil,
        restarts: Int? = nil,
        labels: [String: String]? = nil,
        ownerKind: String? = nil,
        ownerName: String? = nil,
        containers: [PodContainer]? = nil
    ) {
        self.uid = uid
        self.name = name
        self.namespace = namespace
        self.nodeName = nodeName
        self.phase = phase
        self.reason = reason
        self.message = message
        self.qosClass = qosClass
        self.createdAt = createdAt
        self.startTime = startTime
        self.restarts = restarts
        self.labels = labels
        self.ownerKind = ownerKind
        self.ownerName = ownerName
        self.containers = containers
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decode(.uid, default: "")
        name = try c.decode(.name, default: "")
        namespace = try c.decode(.namespace, default: "")
        nodeName = try c.decodeIfPresent(.nodeName)
        phase = try c.decodeIfPresent(.phase)
        reason = try c.decodeIfPresent(.reason)
        message = try c.decodeIfPresent(.message)
        qosClass = try c.decodeIfPresent(.qosClass)
        createdAt = try c.decode(.createdAt, default: .goZeroTime)
        startTime = try c.decodeIfPresent(.startTime)
        restarts = try c.decodeIfPresent(.restarts)
        labels = try c.decodeIfPresent(.labels)
        ownerKind = try c.decodeIfPresent(.ownerKind)
        ownerName = try c.decodeIfPresent(.ownerName)
        containers = try c.decodeIfPresent(.containers)
    }
}

/// One container of a pod.
public struct PodContainer: Codable, Sendable, Equatable {
    /// Container name.
    public var name: String
    /// Image reference.
    public var image: String?
    /// Whether the container passes its readiness probe.
    public var ready: Bool
    /// Restarts of this container.
    public var restartCount: Int?
    /// `running`, `waiting` or `terminated`.
    public var state: String?
    /// Reason for `waiting` or `terminated`, e.g. `CrashLoopBackOff`, `ImagePullBackOff`, `OOMKilled`.
    public var reason: String?
    /// Message for ``reason``.
    public var message: String?

    public init(
        name: String,
        image: String? = nil,
        ready: Bool,
        restartCount: Int? = nil,
        state: String? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.name = name
        self.image = image
        self.ready = ready
        self.restartCount = restartCount
        self.state = state
        self.reason = reason
        self.message = message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(.name, default: "")
        image = try c.decodeIfPresent(.image)
        ready = try c.decode(.ready, default: false)
        restartCount = try c.decodeIfPresent(.restartCount)
        state = try c.decodeIfPresent(.state)
        reason = try c.decodeIfPresent(.reason)
        message = try c.decodeIfPresent(.message)
    }
}

/// One Deployment and its replica counts (`deployments[]`).
public struct KubernetesDeployment: Codable, Sendable, Equatable {
    /// Deployment UID.
    public var uid: String
    /// Deployment name.
    public var name: String
    /// Namespace.
    public var namespace: String
    /// `spec.replicas`.
    public var desiredReplicas: Int?
    /// Replicas running the current template.
    public var updatedReplicas: Int?
    /// Ready replicas.
    public var readyReplicas: Int?
    /// Available replicas (ready for at least `minReadySeconds`).
    public var availableReplicas: Int?
    /// Deployment labels.
    public var labels: [String: String]?

    public init(
        uid: String,
        name: String,
        namespace: String,
        desiredReplicas: Int? = nil,
        updatedReplicas: Int? = nil,
        readyReplicas: Int? = nil,
        availableReplicas: Int? = nil,
        labels: [String: String]? = nil
    ) {
        self.uid = uid
        self.name = name
        self.namespace = namespace
        self.desiredReplicas = desiredReplicas
        self.updatedReplicas = updatedReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.labels = labels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decode(.uid, default: "")
        name = try c.decode(.name, default: "")
        namespace = try c.decode(.namespace, default: "")
        desiredReplicas = try c.decodeIfPresent(.desiredReplicas)
        updatedReplicas = try c.decodeIfPresent(.updatedReplicas)
        readyReplicas = try c.decodeIfPresent(.readyReplicas)
        availableReplicas = try c.decodeIfPresent(.availableReplicas)
        labels = try c.decodeIfPresent(.labels)
    }
}

/// One StatefulSet and its replica counts (`statefulSets[]`). Not part of Pulse v5.
public struct KubernetesStatefulSet: Codable, Sendable, Equatable {
    /// StatefulSet UID.
    public var uid: String
    /// StatefulSet name.
    public var name: String
    /// Namespace.
    public var namespace: String
    /// `spec.replicas`.
    public var desiredReplicas: Int?
    /// Ready replicas.
    public var readyReplicas: Int?
    /// Replicas at the current revision.
    public var currentReplicas: Int?
    /// Replicas at the update revision.
    public var updatedReplicas: Int?
    /// StatefulSet labels.
    public var labels: [String: String]?

    public init(
        uid: String,
        name: String,
        namespace: String,
        desiredReplicas: Int? = nil,
        readyReplicas: Int? = nil,
        currentReplicas: Int? = nil,
        updatedReplicas: Int? = nil,
        labels: [String: String]? = nil
    ) {
        self.uid = uid
        self.name = name
        self.namespace = namespace
        self.desiredReplicas = desiredReplicas
        self.readyReplicas = readyReplicas
        self.currentReplicas = currentReplicas
        self.updatedReplicas = updatedReplicas
        self.labels = labels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decode(.uid, default: "")
        name = try c.decode(.name, default: "")
        namespace = try c.decode(.namespace, default: "")
        desiredReplicas = try c.decodeIfPresent(.desiredReplicas)
        readyReplicas = try c.decodeIfPresent(.readyReplicas)
        currentReplicas = try c.decodeIfPresent(.currentReplicas)
        updatedReplicas = try c.decodeIfPresent(.updatedReplicas)
        labels = try c.decodeIfPresent(.labels)
    }
}

/// One DaemonSet and its scheduling counts (`daemonSets[]`), named as in `DaemonSetStatus`.
/// Not part of Pulse v5.
public struct KubernetesDaemonSet: Codable, Sendable, Equatable {
    /// DaemonSet UID.
    public var uid: String
    /// DaemonSet name.
    public var name: String
    /// Namespace.
    public var namespace: String
    /// Nodes that should run the daemon pod.
    public var desiredNumberScheduled: Int?
    /// Nodes running at least one daemon pod that should.
    public var currentNumberScheduled: Int?
    /// Nodes whose daemon pod is ready.
    public var numberReady: Int?
    /// Nodes whose daemon pod is available.
    public var numberAvailable: Int?
    /// Nodes running the daemon pod that should not.
    public var numberMisscheduled: Int?
    /// Nodes running the updated daemon pod.
    public var updatedNumberScheduled: Int?
    /// DaemonSet labels.
    public var labels: [String: String]?

    public init(
        uid: String,
        name: String,
        namespace: String,
        desiredNumberScheduled: Int? = nil,
        currentNumberScheduled: Int? = nil,
        numberReady: Int? = nil,
        numberAvailable: Int? = nil,
        numberMisscheduled: Int? = nil,
        updatedNumberScheduled: Int? = nil,
        labels: [String: String]? = nil
    ) {
        self.uid = uid
        self.name = name
        self.namespace = namespace
        self.desiredNumberScheduled = desiredNumberScheduled
        self.currentNumberScheduled = currentNumberScheduled
        self.numberReady = numberReady
        self.numberAvailable = numberAvailable
        self.numberMisscheduled = numberMisscheduled
        self.updatedNumberScheduled = updatedNumberScheduled
        self.labels = labels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uid = try c.decode(.uid, default: "")
        name = try c.decode(.name, default: "")
        namespace = try c.decode(.namespace, default: "")
        desiredNumberScheduled = try c.decodeIfPresent(.desiredNumberScheduled)
        currentNumberScheduled = try c.decodeIfPresent(.currentNumberScheduled)
        numberReady = try c.decodeIfPresent(.numberReady)
        numberAvailable = try c.decodeIfPresent(.numberAvailable)
        numberMisscheduled = try c.decodeIfPresent(.numberMisscheduled)
        updatedNumberScheduled = try c.decodeIfPresent(.updatedNumberScheduled)
        labels = try c.decodeIfPresent(.labels)
    }
}

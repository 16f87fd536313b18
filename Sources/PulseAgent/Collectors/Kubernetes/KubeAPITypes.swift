/// The parts of Kubernetes API objects the agent reports; everything optional.
enum KubeAPI {
    struct List<Item: Decodable & Sendable>: Decodable, Sendable {
        struct Metadata: Decodable, Sendable { let `continue`: String? }
        let items: [Item]
        let metadata: Metadata?
    }

    struct ObjectMeta: Decodable, Sendable {
        struct Owner: Decodable, Sendable {
            let kind: String?
            let name: String?
            let controller: Bool?
        }
        let uid: String?
        let name: String?
        let namespace: String?
        let labels: [String: String]?
        let creationTimestamp: String?
        let ownerReferences: [Owner]?
    }

    struct Version: Decodable, Sendable {
        let gitVersion: String?
        let platform: String?
    }

    struct Node: Decodable, Sendable {
        struct Spec: Decodable, Sendable { let unschedulable: Bool? }
        struct Status: Decodable, Sendable {
            struct Condition: Decodable, Sendable {
                let type: String?
                let status: String?
            }
            struct Info: Decodable, Sendable {
                let kubeletVersion: String?
                let containerRuntimeVersion: String?
                let osImage: String?
                let kernelVersion: String?
                let architecture: String?
            }
            let capacity: [String: String]?
            let allocatable: [String: String]?
            let conditions: [Condition]?
            let nodeInfo: Info?
        }
        let metadata: ObjectMeta
        let spec: Spec?
        let status: Status?
    }

    struct Pod: Decodable, Sendable {
        struct Spec: Decodable, Sendable { let nodeName: String? }
        struct Status: Decodable, Sendable {
            struct ContainerStatus: Decodable, Sendable {
                struct State: Decodable, Sendable {
                    struct Detail: Decodable, Sendable {
                        let reason: String?
                        let message: String?
                        let exitCode: Int?
                    }
                    let running: Detail?
                    let waiting: Detail?
                    let terminated: Detail?
                }
                let name: String?
                let image: String?
                let ready: Bool?
                let restartCount: Int?
                let state: State?
            }
            let phase: String?
            let reason: String?
            let message: String?
            let qosClass: String?
            let startTime: String?
            let containerStatuses: [ContainerStatus]?
        }
        let metadata: ObjectMeta
        let spec: Spec?
        let status: Status?
    }

    struct Deployment: Decodable, Sendable {
        struct Spec: Decodable, Sendable { let replicas: Int? }
        struct Status: Decodable, Sendable {
            let replicas: Int?
            let updatedReplicas: Int?
            let readyReplicas: Int?
            let availableReplicas: Int?
            let currentReplicas: Int?
        }
        let metadata: ObjectMeta
        let spec: Spec?
        let status: Status?
    }

    struct DaemonSet: Decodable, Sendable {
        struct Status: Decodable, Sendable {
            let desiredNumberScheduled: Int?
            let currentNumberScheduled: Int?
            let numberReady: Int?
            let numberAvailable: Int?
            let numberMisscheduled: Int?
            let updatedNumberScheduled: Int?
        }
        let metadata: ObjectMeta
        let status: Status?
    }
}

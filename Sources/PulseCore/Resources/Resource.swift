package import Foundation

/// One monitored thing of any platform (a Proxmox node, a VM, a Docker container, a pod, …) in one
/// common shape: `GET /api/resources` of Pulse v5.1 (`schemaVersion` 1).
///
/// Built from a `StateSnapshot` on each read (`StateSnapshot.resources()`); nothing is kept.
package struct Resource: Encodable, Sendable, Equatable {
    package var id: String
    package var type: Kind
    package var name: String
    /// The name the user gave, else the name.
    package var displayName: String
    /// Which source it came from: the PVE instance, the PBS host, the reporting agent's ID.
    package var platformId: String
    package var platformType: Platform
    package var sourceType: Source
    /// The resource it runs on (a guest's node, a container's Docker host, a pod's Kubernetes node).
    package var parentId: String?
    /// `pve-cluster/<name>` or `docker-swarm/<id>` for cluster members; a Kubernetes cluster's ID.
    package var clusterId: String?
    package var status: Status
    /// Percent of one unit of every CPU, 0–100.
    package var cpu: MetricValue?
    package var memory: MetricValue?
    package var disk: MetricValue?
    package var network: NetworkMetric?
    /// Celsius.
    package var temperature: Double?
    /// Seconds.
    package var uptime: Int64?
    package var tags: [String]?
    package var labels: [String: String]?
    package var lastSeen: Date
    /// The active alerts on this resource.
    package var alerts: [ResourceAlert]?
    package var identity: Identity?
    package var schemaVersion = 1

    /// Pulse's resource types. Some are never produced here (`truenas`, `jail`, …); filters accept them all.
    package enum Kind: String, Codable, Sendable, CaseIterable {
        case node, host
        case dockerHost = "docker-host"
        case k8sCluster = "k8s-cluster"
        case k8sNode = "k8s-node"
        case truenas, vm, container
        case ociContainer = "oci-container"
        case dockerContainer = "docker-container"
        case pod, jail
        case dockerService = "docker-service"
        case k8sDeployment = "k8s-deployment"
        case k8sService = "k8s-service"
        case storage, datastore, pool, dataset, pbs, pmg

        /// Machines and clusters that run workloads.
        package var isInfrastructure: Bool {
            [.node, .host, .dockerHost, .k8sCluster, .k8sNode, .truenas].contains(self)
        }

        /// Guests, containers and pods.
        package var isWorkload: Bool {
            [.vm, .container, .ociContainer, .dockerContainer, .pod, .jail].contains(self)
        }
    }

    package enum Platform: String, Codable, Sendable, CaseIterable {
        case proxmoxPVE = "proxmox-pve"
        case proxmoxPBS = "proxmox-pbs"
        case proxmoxPMG = "proxmox-pmg"
        case docker, kubernetes, truenas
        case hostAgent = "host-agent"
    }

    /// How the data arrives: polled (`api`) or pushed by an agent.
    package enum Source: String, Codable, Sendable, CaseIterable {
        case api, agent, hybrid
    }

    package enum Status: String, Codable, Sendable, CaseIterable {
        case online, offline, running, stopped, degraded, paused, unknown
    }

    /// A reading: `current` is a percentage; the byte counts are there where they are known.
    package struct MetricValue: Encodable, Sendable, Equatable {
        package var current: Double
        package var total: Int64?
        package var used: Int64?
        package var free: Int64?
    }

    package struct NetworkMetric: Encodable, Sendable, Equatable {
        package var rxBytes: Int64
        package var txBytes: Int64
    }

    /// What identifies the machine behind a resource.
    package struct Identity: Encodable, Sendable, Equatable {
        package var hostname: String?
        package var machineId: String?
        package var ips: [String]?
    }
}

/// An active alert as a resource lists it.
package struct ResourceAlert: Encodable, Sendable, Equatable {
    package var id: String
    package var type: String
    package var level: String
    package var message: String
    package var value: Double
    package var threshold: Double
    package var startTime: Date
}

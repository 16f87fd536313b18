import Foundation
package import ProxmoxPolling

/// What the demo estate is made of: names, sizes and roles, fixed for a configuration. The
/// readings at a moment are derived from it (`DemoPVEServer`, `DemoAgentReports`).
///
/// A few resources are chosen to read above Pulse's default alert thresholds, so the alert engine
/// raises a few alerts of its own: the first guest's CPU, the second guest's memory, the last
/// node's memory, the first cluster's backup storage, the first host's CPU temperature, a failed
/// SMART disk on the second host, and an unhealthy and an exited container on the first Docker host.
package struct EstateLayout: Sendable {
    package var clusters: [Cluster] = []
    package var hosts: [Host] = []
    package var dockerHosts: [DockerHost] = []
    package var kubernetesClusters: [KubernetesCluster] = []

    /// One PVE instance: a cluster, or a single node on its own.
    package struct Cluster: Sendable {
        package var instance: ProxmoxInstance
        /// nil for a single node.
        package var clusterName: String?
        package var nodes: [Node]
        package var guests: [Guest]
        package var key: UInt64
    }

    package struct Node: Sendable {
        package var name: String
        package var key: UInt64
        package var cores: Int
        package var sockets: Int
        package var cpuModel: String
        package var memoryBytes: UInt64
        package var rootBytes: UInt64
        /// Kept at high CPU load (`highLoadNodes`).
        package var highLoad: Bool
        /// Memory nearly full.
        package var memoryPressure: Bool
        /// Its local ZFS storage nearly full.
        package var storageFull: Bool
        package var address: String
    }

    package struct Guest: Sendable {
        package var vmid: Int
        package var name: String
        /// `qemu` or `lxc`.
        package var type: String
        package var node: String
        package var key: UInt64
        package var stopped: Bool
        package var cores: Int
        package var memoryBytes: UInt64
        package var diskBytes: UInt64
        package var tags: String?
        /// A VM whose QEMU guest agent answers.
        package var guestAgent: Bool
        package var hasSnapshot: Bool
        package var hotCPU: Bool
        package var hotMemory: Bool
        package var osName: String
    }

    package struct Host: Sendable {
        package var hostname: String
        package var agentID: String
        package var key: UInt64
        package var cores: Int
        package var cpuModel: String
        package var memoryBytes: Int64
        package var hot: Bool
        package var failingDisk: Bool
    }

    package struct DockerHost: Sendable {
        package var hostname: String
        package var agentID: String
        package var key: UInt64
        package var cores: Int
        package var memoryBytes: Int64
        package var containers: [Container]
    }

    package struct Container: Sendable {
        package var id: String
        package var name: String
        package var image: String
        package var key: UInt64
        package var memoryLimitBytes: Int64
        package var unhealthy: Bool
        package var exited: Bool
    }

    package struct KubernetesCluster: Sendable {
        package var id: String
        package var name: String
        package var agentID: String
        package var key: UInt64
        package var nodes: [String]
        package var pods: Int
        package var deployments: Int
    }

    /// Guests in all.
    package var guestCount: Int { clusters.reduce(0) { $0 + $1.guests.count } }
    /// Nodes in all.
    package var nodeCount: Int { clusters.reduce(0) { $0 + $1.nodes.count } }
}

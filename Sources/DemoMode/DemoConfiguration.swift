package import Foundation

/// The size and behaviour of the demo estate, with Pulse v5's defaults (`PULSE_MOCK_*`).
///
/// Every count has a bound (`limits`), and the guests in all (`nodes × (vmsPerNode + lxcsPerNode)`)
/// are at most `maxGuests`: a demo estate is generated and kept in memory, and its size is what
/// an administrator chose, not what the machine can hold.
package struct DemoConfiguration: Sendable, Equatable {
    /// Proxmox VE nodes (`PULSE_MOCK_NODES`), in clusters of up to `clusterSize`.
    package var nodes = 7
    package var vmsPerNode = 5
    package var lxcsPerNode = 8
    package var dockerHosts = 3
    package var dockerContainersPerHost = 12
    /// Host agents on machines of their own (`PULSE_MOCK_GENERIC_HOSTS`), with SMART disks and temperatures.
    package var genericHosts = 4
    package var kubernetesClusters = 2
    package var kubernetesNodesPerCluster = 4
    package var kubernetesPodsPerCluster = 30
    package var kubernetesDeploymentsPerCluster = 12
    /// Whether readings move over time (`PULSE_MOCK_RANDOM_METRICS`); off, they hold still.
    package var randomMetrics = true
    /// Nodes (by name) kept at high CPU load.
    package var highLoadNodes: [String] = []
    /// The share of guests that are stopped, 0…1 (`PULSE_MOCK_STOPPED_PERCENT` gives it in percent).
    package var stoppedFraction = 0.2
    /// Seconds between two readings of the estate (`PULSE_MOCK_UPDATE_INTERVAL`).
    package var updateInterval: TimeInterval = 2

    package init() {}

    /// Nodes per PVE cluster; the nodes are grouped in order, the last cluster takes the rest.
    static let clusterSize = 5

    /// Bounds on each setting, by its name in requests.
    package enum Limits {
        package static let nodes = 1...1_000
        package static let guestsPerNode = 0...100
        package static let maxGuests = 10_000
        package static let dockerHosts = 0...100
        package static let dockerContainersPerHost = 0...200
        package static let genericHosts = 0...1000
        package static let kubernetesClusters = 0...10
        package static let kubernetesNodesPerCluster = 0...100
        package static let kubernetesPodsPerCluster = 0...1_000
        package static let kubernetesDeploymentsPerCluster = 0...200
        package static let highLoadNodes = 64
        package static let nodeNameLength = 64
        package static let updateInterval: ClosedRange<TimeInterval> = 1...300
    }

    /// Guests in all.
    package var guests: Int { nodes * (vmsPerNode + lxcsPerNode) }

    /// The first setting out of bounds, as (field, sentence), named as requests name it.
    package func problem() -> (field: String, message: String)? {
        func outside(_ value: Int, _ range: ClosedRange<Int>, _ field: String) -> (String, String)? {
            range.contains(value) ? nil : (field, "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        let counts: [(String, String)?] = [
            outside(nodes, Limits.nodes, "nodeCount"), outside(vmsPerNode, Limits.guestsPerNode, "vmsPerNode"),
            outside(lxcsPerNode, Limits.guestsPerNode, "lxcsPerNode"), outside(dockerHosts, Limits.dockerHosts, "dockerHostCount"),
            outside(dockerContainersPerHost, Limits.dockerContainersPerHost, "dockerContainersPerHost"),
            outside(genericHosts, Limits.genericHosts, "genericHostCount"),
            outside(kubernetesClusters, Limits.kubernetesClusters, "k8sClusterCount"),
            outside(kubernetesNodesPerCluster, Limits.kubernetesNodesPerCluster, "k8sNodesPerCluster"),
            outside(kubernetesPodsPerCluster, Limits.kubernetesPodsPerCluster, "k8sPodsPerCluster"),
            outside(kubernetesDeploymentsPerCluster, Limits.kubernetesDeploymentsPerCluster, "k8sDeploymentsPerCluster"),
        ]
        if let first = counts.compactMap({ $0 }).first { return first }
        if guests > Limits.maxGuests {
            return ("nodeCount", "nodeCount × (vmsPerNode + lxcsPerNode) is \(guests) guests; at most \(Limits.maxGuests) are generated")
        }
        if !(0...1).contains(stoppedFraction) { return ("stoppedPercent", "stoppedPercent must be a fraction from 0 to 1") }
        if highLoadNodes.count > Limits.highLoadNodes {
            return ("highLoadNodes", "highLoadNodes lists \(highLoadNodes.count) nodes; at most \(Limits.highLoadNodes) are accepted")
        }
        if let name = highLoadNodes.first(where: { $0.isEmpty || $0.unicodeScalars.count > Limits.nodeNameLength }) {
            return ("highLoadNodes", "highLoadNodes entries must be node names of 1 to \(Limits.nodeNameLength) characters, got '\(name.prefix(80))'")
        }
        if !Limits.updateInterval.contains(updateInterval) {
            return ("updateInterval", "the update interval must be from 1 to 300 seconds")
        }
        return nil
    }
}

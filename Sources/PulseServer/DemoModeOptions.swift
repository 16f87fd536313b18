import ArgumentParser
import DemoMode
import Foundation

/// The flags of demo mode, with Pulse's `PULSE_MOCK_*` variables; a flag wins over its variable.
/// A value out of bounds stops the server with a message naming the variable.
struct DemoModeOptions: ParsableArguments {
    @Flag(
        name: .customLong("mock-mode"), inversion: .prefixedNo,
        help: "Start with demo mode on: a generated estate beside any real sources; switchable at run time. (env: PULSE_MOCK_MODE=true)")
    var enabled: Bool?

    @Option(name: .customLong("mock-nodes"), help: "Demo Proxmox VE nodes, 1–1000, in clusters of 5. (env: PULSE_MOCK_NODES; default 7)")
    var nodes: Int?

    @Option(name: .customLong("mock-vms-per-node"), help: "Demo VMs per node, 0–100. (env: PULSE_MOCK_VMS_PER_NODE; default 5)")
    var vmsPerNode: Int?

    @Option(
        name: .customLong("mock-lxcs-per-node"),
        help: "Demo containers per node, 0–100; guests in all at most 10000. (env: PULSE_MOCK_LXCS_PER_NODE; default 8)")
    var lxcsPerNode: Int?

    @Option(name: .customLong("mock-docker-hosts"), help: "Demo Docker hosts, 0–100. (env: PULSE_MOCK_DOCKER_HOSTS; default 3)")
    var dockerHosts: Int?

    @Option(
        name: .customLong("mock-docker-containers"), help: "Containers per demo Docker host, 0–200. (env: PULSE_MOCK_DOCKER_CONTAINERS; default 12)")
    var dockerContainers: Int?

    @Option(
        name: .customLong("mock-generic-hosts"),
        help: "Demo host agents with SMART disks and temperatures, 0–1000. (env: PULSE_MOCK_GENERIC_HOSTS; default 4)")
    var genericHosts: Int?

    @Option(name: .customLong("mock-k8s-clusters"), help: "Demo Kubernetes clusters, 0–10. (env: PULSE_MOCK_K8S_CLUSTERS; default 2)")
    var kubernetesClusters: Int?

    @Option(name: .customLong("mock-k8s-nodes"), help: "Nodes per demo Kubernetes cluster, 0–100. (env: PULSE_MOCK_K8S_NODES; default 4)")
    var kubernetesNodes: Int?

    @Option(name: .customLong("mock-k8s-pods"), help: "Pods per demo Kubernetes cluster, 0–1000. (env: PULSE_MOCK_K8S_PODS; default 30)")
    var kubernetesPods: Int?

    @Option(
        name: .customLong("mock-k8s-deployments"),
        help: "Deployments per demo Kubernetes cluster, 0–200. (env: PULSE_MOCK_K8S_DEPLOYMENTS; default 12)")
    var kubernetesDeployments: Int?

    @Option(
        name: .customLong("mock-stopped-percent"),
        help: "Percent of demo guests that are stopped, 0–100. (env: PULSE_MOCK_STOPPED_PERCENT; default 20)")
    var stoppedPercent: Double?

    @Option(
        name: .customLong("mock-random-metrics"),
        help: "Whether demo readings move over time, true or false. (env: PULSE_MOCK_RANDOM_METRICS; default true)")
    var randomMetrics: String?

    @Option(
        name: .customLong("mock-update-interval"), help: "Seconds between two demo readings, 1–300. (env: PULSE_MOCK_UPDATE_INTERVAL; default 2)")
    var updateInterval: Double?

    /// Whether demo mode starts on, and its configuration.
    func resolve(environment: [String: String]) throws -> (enabled: Bool, configuration: DemoConfiguration) {
        func value(_ flag: String?, _ variable: String) -> String? { ServerOptions.setting(flag, variable, in: environment) }
        func flag(_ given: Bool?, _ variable: String) throws -> Bool? {
            if let given { return given }
            guard let text = value(nil, variable) else { return nil }
            guard let parsed = Self.boolean(text) else { throw ValidationError("\(variable) must be true or false, got '\(text)'") }
            return parsed
        }
        func count(_ given: Int?, _ variable: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = value(given.map { String($0) }, variable) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw ValidationError("\(variable) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            }
            return number
        }
        func number(_ given: Double?, _ variable: String, _ range: ClosedRange<Double>, suffix: String = "") throws -> Double? {
            guard let text = value(given.map { String($0) }, variable) else { return nil }
            let bare = !suffix.isEmpty && text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text
            guard let number = Double(bare), range.contains(number) else {
                throw ValidationError("\(variable) must be a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            }
            return number
        }
        typealias Limits = DemoConfiguration.Limits
        var c = DemoConfiguration()
        c.nodes = try count(nodes, "PULSE_MOCK_NODES", Limits.nodes) ?? c.nodes
        c.vmsPerNode = try count(vmsPerNode, "PULSE_MOCK_VMS_PER_NODE", Limits.guestsPerNode) ?? c.vmsPerNode
        c.lxcsPerNode = try count(lxcsPerNode, "PULSE_MOCK_LXCS_PER_NODE", Limits.guestsPerNode) ?? c.lxcsPerNode
        c.dockerHosts = try count(dockerHosts, "PULSE_MOCK_DOCKER_HOSTS", Limits.dockerHosts) ?? c.dockerHosts
        c.dockerContainersPerHost =
            try count(dockerContainers, "PULSE_MOCK_DOCKER_CONTAINERS", Limits.dockerContainersPerHost) ?? c.dockerContainersPerHost
        c.genericHosts = try count(genericHosts, "PULSE_MOCK_GENERIC_HOSTS", Limits.genericHosts) ?? c.genericHosts
        c.kubernetesClusters = try count(kubernetesClusters, "PULSE_MOCK_K8S_CLUSTERS", Limits.kubernetesClusters) ?? c.kubernetesClusters
        c.kubernetesNodesPerCluster =
            try count(kubernetesNodes, "PULSE_MOCK_K8S_NODES", Limits.kubernetesNodesPerCluster) ?? c.kubernetesNodesPerCluster
        c.kubernetesPodsPerCluster = try count(kubernetesPods, "PULSE_MOCK_K8S_PODS", Limits.kubernetesPodsPerCluster) ?? c.kubernetesPodsPerCluster
        c.kubernetesDeploymentsPerCluster =
            try count(kubernetesDeployments, "PULSE_MOCK_K8S_DEPLOYMENTS", Limits.kubernetesDeploymentsPerCluster)
            ?? c.kubernetesDeploymentsPerCluster
        c.stoppedFraction = try number(stoppedPercent, "PULSE_MOCK_STOPPED_PERCENT", 0...100).map { $0 / 100 } ?? c.stoppedFraction
        if let text = randomMetrics {
            guard let parsed = Self.boolean(text) else { throw ValidationError("--mock-random-metrics must be true or false, got '\(text)'") }
            c.randomMetrics = parsed
        } else {
            c.randomMetrics = try flag(nil, "PULSE_MOCK_RANDOM_METRICS") ?? c.randomMetrics
        }
        c.updateInterval = try number(updateInterval, "PULSE_MOCK_UPDATE_INTERVAL", Limits.updateInterval, suffix: "s") ?? c.updateInterval
        if c.guests > Limits.maxGuests {
            throw ValidationError(
                "PULSE_MOCK_NODES × (PULSE_MOCK_VMS_PER_NODE + PULSE_MOCK_LXCS_PER_NODE) is \(c.guests) guests; at most \(Limits.maxGuests) are generated"
            )
        }
        return (try flag(enabled, "PULSE_MOCK_MODE") ?? false, c)
    }

    /// true or false (also 1/0, yes/no); nil for anything else.
    private static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no": false
        default: nil
        }
    }
}

import Foundation
import ProxmoxPolling

extension EstateLayout {
    /// The estate `configuration` describes; the same configuration always gives the same estate.
    init(_ configuration: DemoConfiguration, signal: Signal) {
        let width = max(2, String(configuration.nodes).count)
        let highLoad = Set(configuration.highLoadNodes.map { $0.lowercased() })
        var nodeNames: [String] = []
        for index in 0..<configuration.nodes {
            nodeNames.append("pve" + Self.padded(index + 1, width))
        }
        let groups = stride(from: 0, to: nodeNames.count, by: DemoConfiguration.clusterSize).map {
            Array(nodeNames[$0..<min($0 + DemoConfiguration.clusterSize, nodeNames.count)])
        }
        let guestsPerNode = configuration.vmsPerNode + configuration.lxcsPerNode
        let stopped = Self.stoppedGuests(total: configuration.guests, fraction: configuration.stoppedFraction)
        var guestIndex = 0
        for (number, names) in groups.enumerated() {
            let single = names.count == 1
            let name = single ? "demo-pve-\(Self.padded(number + 1, 2))" : "demo-cluster-\(Self.padded(number + 1, 2))"
            let instance = ProxmoxInstance(
                id: "demo-pve-\(Self.padded(number + 1, 3))", type: .pve, name: name, host: "https://\(name).demo.invalid:8006",
                user: "pulse@pve", tokenName: "pulse@pve!demo", fingerprint: nil, verifySSL: true)
            let key = signal.key(name)
            var cluster = Cluster(
                instance: instance, clusterName: single ? nil : name, nodes: [], guests: [], key: key)
            for nodeName in names {
                let nodeKey = signal.key(nodeName)
                let nodeNumber = cluster.nodes.count + 1
                cluster.nodes.append(
                    Node(
                        name: nodeName, key: nodeKey, cores: Signal.pick([16, 24, 32, 48, 64], nodeKey, 10),
                        sockets: Signal.pick([1, 1, 2], nodeKey, 11), cpuModel: Signal.pick(Self.serverCPUs, nodeKey, 12),
                        memoryBytes: Signal.pick([128, 192, 256, 384, 512], nodeKey, 13) * Self.gibibyte,
                        rootBytes: Signal.pick([100, 200, 240], nodeKey, 14) * Self.gibibyte, highLoad: highLoad.contains(nodeName),
                        memoryPressure: nodeName == nodeNames.last && configuration.nodes > 1, storageFull: nodeName == nodeNames.first,
                        address: "10.\(10 + number / 250).\(number % 250).\(10 + nodeNumber)"))
                for slot in 0..<guestsPerNode {
                    let vmid = 100 + cluster.guests.count
                    let isVM = slot < configuration.vmsPerNode
                    let guestKey = signal.key("\(name)/\(vmid)")
                    let app = Signal.pick(Self.applications, guestKey, 20)
                    let os = Signal.pick(isVM ? Self.vmSystems : Self.containerSystems, guestKey, 21)
                    cluster.guests.append(
                        Guest(
                            vmid: vmid, name: "\(app)-\(Self.padded(vmid, 3))", type: isVM ? "qemu" : "lxc", node: nodeName,
                            key: guestKey, stopped: stopped.contains(guestIndex),
                            cores: Signal.pick(isVM ? [2, 2, 4, 4, 8] : [1, 1, 2, 4], guestKey, 22),
                            memoryBytes: Signal.pick(isVM ? [2, 4, 4, 8, 16] : [1, 1, 2, 4], guestKey, 23) * Self.gibibyte,
                            diskBytes: Signal.pick(isVM ? [32, 64, 64, 128] : [8, 16, 32], guestKey, 24) * Self.gibibyte,
                            tags: Signal.pick(Self.tagSets, guestKey, 25),
                            guestAgent: isVM && vmid % 2 == 0, hasSnapshot: vmid % 7 == 3, hotCPU: guestIndex == 0,
                            hotMemory: guestIndex == 1, osName: os))
                    guestIndex += 1
                }
            }
            clusters.append(cluster)
        }
        for index in 0..<configuration.genericHosts {
            let hostname = "\(Self.hostRoles[index % Self.hostRoles.count])-\(Self.padded(index / Self.hostRoles.count + 1, 2))"
            let key = signal.key("host/\(hostname)")
            hosts.append(
                Host(
                    hostname: hostname, agentID: "demo-host-\(Self.padded(index + 1, 3))", key: key,
                    cores: Signal.pick([4, 8, 12, 16], key, 30), cpuModel: Signal.pick(Self.desktopCPUs, key, 31),
                    memoryBytes: Int64(Signal.pick([16, 32, 64], key, 32) * Self.gibibyte), hot: index == 0,
                    failingDisk: index == min(1, configuration.genericHosts - 1)))
        }
        for index in 0..<configuration.dockerHosts {
            let hostname = "docker-\(Self.padded(index + 1, 2))"
            let key = signal.key("docker/\(hostname)")
            var host = DockerHost(
                hostname: hostname, agentID: "demo-docker-\(Self.padded(index + 1, 3))", key: key,
                cores: Signal.pick([4, 8, 16], key, 40), memoryBytes: Int64(Signal.pick([16, 32, 64], key, 41) * Self.gibibyte),
                containers: [])
            for slot in 0..<configuration.dockerContainersPerHost {
                let image = Self.images[(slot + index) % Self.images.count]
                let containerKey = signal.key("docker/\(hostname)/\(slot)")
                let base = String(image.split(separator: ":").first ?? "app").split(separator: "/").last.map(String.init) ?? "app"
                host.containers.append(
                    Container(
                        id: (Signal.hex(Signal.mix(containerKey), width: 16) + Signal.hex(Signal.mix(containerKey ^ 1), width: 16)).lowercased(),
                        name: "\(base)-\(slot + 1)",
                        image: image, key: containerKey, memoryLimitBytes: Int64(Signal.pick([256, 512, 1024, 2048], containerKey, 42)) << 20,
                        unhealthy: index == 0 && slot == 1, exited: index == 0 && slot == 2))
            }
            dockerHosts.append(host)
        }
        for index in 0..<configuration.kubernetesClusters {
            let name = Self.kubernetesNames[index % Self.kubernetesNames.count] + (index < Self.kubernetesNames.count ? "" : "-\(index + 1)")
            let key = signal.key("k8s/\(name)")
            kubernetesClusters.append(
                KubernetesCluster(
                    id: "demo-k8s-\(Self.padded(index + 1, 2))", name: name, agentID: "demo-k8s-agent-\(Self.padded(index + 1, 2))", key: key,
                    nodes: (0..<configuration.kubernetesNodesPerCluster).map { "\(name)-node-\($0 + 1)" },
                    pods: configuration.kubernetesPodsPerCluster, deployments: configuration.kubernetesDeploymentsPerCluster))
        }
    }

    /// Exactly `round(total × fraction)` guests, spread evenly; the first two (which run hot for
    /// the alerts) come last in the order, so they keep running unless nearly all are stopped.
    static func stoppedGuests(total: Int, fraction: Double) -> Set<Int> {
        let count = min(total, Int((Double(total) * fraction).rounded()))
        guard count > 0 else { return [] }
        let order = total > 2 ? Array(2..<total) + [0, 1] : Array(0..<total)
        return Set((0..<count).map { order[min(total - 1, Int(Double($0) / fraction))] })
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static let gibibyte: UInt64 = 1 << 30

    static let applications = [
        "web", "db", "cache", "proxy", "mail", "dns", "git", "ci", "monitor", "files", "media", "auth", "vpn", "build", "queue", "search",
        "wiki", "chat", "metrics", "logs",
    ]
    static let tagSets: [String?] = [nil, "prod", "prod;web", "dev", "staging;db", "infra", nil]
    static let vmSystems = ["Debian GNU/Linux 12 (bookworm)", "Ubuntu 24.04.1 LTS", "Rocky Linux 9.4 (Blue Onyx)", "Microsoft Windows Server 2022"]
    static let containerSystems = ["debian", "ubuntu", "alpine"]
    static let serverCPUs = [
        "AMD EPYC 7443P 24-Core Processor", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "AMD EPYC 9124 16-Core Processor",
        "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
    ]
    static let desktopCPUs = ["AMD Ryzen 7 5700G with Radeon Graphics", "Intel(R) Core(TM) i5-12500", "Intel(R) N100"]
    static let hostRoles = ["nas", "backup", "edge", "gpu", "build", "media", "router", "monitor"]
    static let images = [
        "nginx:1.27", "postgres:16", "redis:7.4", "grafana/grafana:11.3.0", "prom/prometheus:v2.55.0", "traefik:v3.2",
        "vaultwarden/server:1.32.5", "jellyfin/jellyfin:10.10.3", "homeassistant/home-assistant:2024.11", "minio/minio:latest",
        "gitea/gitea:1.22", "eclipse-mosquitto:2.0",
    ]
    static let kubernetesNames = ["production", "staging", "edge"]
}

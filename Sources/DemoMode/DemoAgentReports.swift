package import AgentProtocol
import Foundation

/// The reports the demo estate's agents send at `time`, in the wire contract's types: the same
/// values a `pulse-agent` posts to `/api/agents/{host,docker,kubernetes}/report`.
package struct DemoAgentReports: Sendable {
    let time: Date
    let signal: Signal
    /// Seconds between reports, as the agents announce it.
    let interval: Int

    static let agentVersion = "5.1.36"

    // MARK: Hosts

    /// A host agent's heartbeat: CPU, memory, filesystems, disk and network counters,
    /// temperatures, fans and SMART.
    package func report(for host: EstateLayout.Host) -> HostReport {
        let key = host.key
        let cpu = host.hot ? wave(key, 80, base: 55, spread: 10, swing: 15) : wave(key, 80, base: 5, spread: 30, swing: 8)
        let memoryShare = wave(key, 81, base: 0.3, spread: 0.4, swing: 0.04)
        let used = Int64(Double(host.memoryBytes) * memoryShare)
        let load = cpu / 100 * Double(host.cores)
        let packageTemperature = host.hot ? signal.wave(key ^ 1, at: time, base: 86, swing: 2) : wave(key, 82, base: 38, spread: 15, swing: 4)
        var temperatures = ["cpu_package": Self.rounded(packageTemperature)]
        for core in 0..<min(host.cores, 8) {
            temperatures["cpu_core_\(core)"] = Self.rounded(packageTemperature - 2 - Signal.unit(key, 83 &+ UInt64(core)) * 4)
        }
        temperatures["nvme0"] = Self.rounded(wave(key, 84, base: 34, spread: 10, swing: 2))
        let rootTotal: Int64 = 512 << 30
        let rootUsed = Int64(Double(rootTotal) * wave(key, 85, base: 0.2, spread: 0.4, swing: 0.002))
        let dataTotal: Int64 = 16 << 40
        let dataUsed = Int64(Double(dataTotal) * wave(key, 86, base: 0.3, spread: 0.4, swing: 0.001))
        return HostReport(
            agent: HostAgentInfo(
                id: host.agentID, version: Self.agentVersion, type: HostAgentInfo.unifiedType, intervalSeconds: interval, hostname: host.hostname),
            host: HostInfo(
                id: host.agentID, hostname: host.hostname, machineId: Self.machineID(key), platform: "linux", osName: "Debian GNU/Linux",
                osVersion: "12", kernelVersion: "6.1.0-27-amd64", architecture: "x86_64", cpuModel: host.cpuModel, cpuCount: host.cores,
                uptimeSeconds: Signal.uptime(key, at: time), loadAverage: [load, load * 0.95, load * 0.9].map(Self.rounded),
                reportIp: "10.30.0.\(10 + Int(key % 200))"),
            metrics: HostMetrics(
                cpuUsagePercent: Self.rounded(min(100, max(0, cpu))),
                memory: MemoryMetrics(
                    totalBytes: host.memoryBytes, usedBytes: used, freeBytes: host.memoryBytes - used, usage: Self.rounded(memoryShare * 100),
                    swapTotalBytes: 4 << 30, swapUsedBytes: 0)),
            disks: [
                Self.disk("/dev/nvme0n1p2", "/", "ext4", total: rootTotal, used: rootUsed),
                Self.disk("tank", "/tank", "zfs", total: dataTotal, used: dataUsed),
            ],
            diskIO: [
                DiskIOCounters(
                    device: "nvme0n1", readBytes: counter(key ^ 2, 2_000_000), writeBytes: counter(key ^ 3, 1_000_000),
                    readOps: counter(key ^ 4, 200), writeOps: counter(key ^ 5, 150)),
                DiskIOCounters(device: "sda", readBytes: counter(key ^ 6, 8_000_000), writeBytes: counter(key ^ 7, 4_000_000)),
            ],
            network: [
                NetworkInterface(
                    name: "eth0", mac: Self.mac(key), addresses: ["10.30.0.\(10 + Int(key % 200))/24"], rxBytes: counter(key ^ 8, 1_500_000),
                    txBytes: counter(key ^ 9, 700_000), speedMbps: 10_000)
            ],
            sensors: Sensors(
                temperatureCelsius: temperatures, fanRpm: ["cpu_fan": Self.rounded(wave(key, 87, base: 900, spread: 400, swing: 120))],
                smart: smartDisks(of: host)),
            tags: ["demo"], timestamp: time)
    }

    private func smartDisks(of host: EstateLayout.Host) -> [SMARTDisk] {
        let key = host.key
        let hours = Int64(Signal.unit(key, 88) * 30_000) + Int64(time.timeIntervalSince1970 / 3600) % 10_000
        var disks = [
            SMARTDisk(
                device: "/dev/nvme0n1", model: "Samsung SSD 980 PRO 1TB", serial: "S5GXNX0T\(Signal.hex(key & 0xFFFFF, width: 5))", type: "nvme",
                temperature: Int(wave(key, 89, base: 34, spread: 10, swing: 2)), health: "PASSED",
                attributes: SMARTAttributes(
                    powerOnHours: hours, powerCycles: 40 + Int64(Signal.unit(key, 90) * 200), percentageUsed: Int(Signal.unit(key, 91) * 20),
                    availableSpare: 100, mediaErrors: 0, unsafeShutdowns: Int64(Signal.unit(key, 92) * 30))),
            SMARTDisk(
                device: "/dev/sda", model: "WDC WD140EDGZ-11B1PA0", serial: "9MG\(Signal.hex(key >> 20 & 0xFFFFF, width: 5))", type: "sata",
                temperature: Int(wave(key, 93, base: 33, spread: 8, swing: 1)), health: host.failingDisk ? "FAILED" : "PASSED",
                attributes: SMARTAttributes(
                    powerOnHours: hours + 5_000, powerCycles: 60, reallocatedSectors: host.failingDisk ? 184 : 0,
                    pendingSectors: host.failingDisk ? 16 : 0, offlineUncorrectable: host.failingDisk ? 16 : 0, udmaCrcErrors: 0)),
        ]
        if !host.failingDisk {
            disks.append(
                SMARTDisk(
                    device: "/dev/sdb", model: "WDC WD140EDGZ-11B1PA0", serial: "9MH\(Signal.hex(key >> 40 & 0xFFFFF, width: 5))", type: "sata",
                    standby: true))
        }
        return disks
    }

    // MARK: Docker

    /// A Docker agent's report: the host and each of its containers.
    package func report(for host: EstateLayout.DockerHost) -> DockerReport {
        let key = host.key
        let cpu = wave(key, 100, base: 5, spread: 35, swing: 8)
        let memoryShare = wave(key, 101, base: 0.3, spread: 0.4, swing: 0.03)
        let used = Int64(Double(host.memoryBytes) * memoryShare)
        let rootTotal: Int64 = 256 << 30
        return DockerReport(
            agent: AgentInfo(id: host.agentID, version: Self.agentVersion, type: HostAgentInfo.unifiedType, intervalSeconds: interval),
            host: DockerHostInfo(
                hostname: host.hostname, name: host.hostname, machineId: Self.machineID(key), os: "Debian GNU/Linux 12 (bookworm)", runtime: "docker",
                runtimeVersion: "27.3.1", kernelVersion: "6.1.0-27-amd64", architecture: "x86_64", dockerVersion: "27.3.1", totalCpu: host.cores,
                totalMemoryBytes: host.memoryBytes, uptimeSeconds: Signal.uptime(key, at: time), cpuUsagePercent: Self.rounded(min(100, max(0, cpu))),
                loadAverage: [cpu / 100 * Double(host.cores)].map(Self.rounded),
                memory: MemoryMetrics(
                    totalBytes: host.memoryBytes, usedBytes: used, freeBytes: host.memoryBytes - used, usage: Self.rounded(memoryShare * 100)),
                disks: [
                    Self.disk(
                        "/dev/sda1", "/", "ext4", total: rootTotal,
                        used: Int64(Double(rootTotal) * wave(key, 102, base: 0.2, spread: 0.4, swing: 0.002)))
                ],
                network: [
                    NetworkInterface(
                        name: "eth0", mac: Self.mac(key), addresses: ["10.40.0.\(10 + Int(key % 200))/24"], rxBytes: counter(key ^ 1, 3_000_000),
                        txBytes: counter(key ^ 2, 1_000_000), speedMbps: 1_000)
                ]),
            containers: host.containers.map(report(for:)), timestamp: time)
    }

    private func report(for container: EstateLayout.Container) -> ContainerReport {
        let key = container.key
        let started = Signal.bootTime(key, at: time)
        let created = started.addingTimeInterval(-86_400 * (1 + Signal.unit(key, 110) * 60))
        if container.exited {
            let finished = time.addingTimeInterval(-3_600 * (1 + Signal.unit(key, 111) * 5))
            return ContainerReport(
                id: container.id, name: "/" + container.name, image: container.image, createdAt: created, state: "exited",
                status: "Exited (0) \(Int(time.timeIntervalSince(finished) / 3_600)) hours ago", memoryLimitBytes: container.memoryLimitBytes,
                exitCode: 0, startedAt: created, finishedAt: finished, labels: ["com.docker.compose.project": "demo"])
        }
        let memoryShare = wave(key, 112, base: 0.2, spread: 0.5, swing: 0.03)
        let memory = Int64(Double(container.memoryLimitBytes) * memoryShare)
        let uptime = Int64(time.timeIntervalSince(started))
        return ContainerReport(
            id: container.id, name: "/" + container.name, image: container.image, createdAt: created, state: "running",
            status: "Up \(uptime / 3_600) hours" + (container.unhealthy ? " (unhealthy)" : ""), health: container.unhealthy ? "unhealthy" : "healthy",
            cpuPercent: Self.rounded(max(0, wave(key, 113, base: 0.5, spread: 15, swing: 3))), memoryUsageBytes: memory,
            memoryLimitBytes: container.memoryLimitBytes, memoryPercent: Self.rounded(memoryShare * 100), uptimeSeconds: uptime,
            restartCount: container.unhealthy ? 2 : 0, startedAt: started,
            ports: [ContainerPort(privatePort: 8080, publicPort: nil, protocol: "tcp", ip: nil)].filter { _ in Signal.unit(key, 114) < 0.5 },
            labels: ["com.docker.compose.project": "demo", "com.docker.compose.service": container.name],
            networks: [ContainerNetwork(name: "demo_default", ipv4: "172.18.0.\(2 + Int(key % 200))")],
            blockIo: ContainerBlockIO(readBytes: counter(key ^ 1, 20_000), writeBytes: counter(key ^ 2, 50_000)))
    }

    // MARK: Kubernetes

    /// A Kubernetes agent's report: nodes, pods and deployments.
    package func report(for cluster: EstateLayout.KubernetesCluster) -> KubernetesReport {
        let key = cluster.key
        let started = Signal.bootTime(key, at: time)
        let nodes = cluster.nodes.enumerated().map { index, name in
            KubernetesNode(
                uid: Self.uid(key, 1, index), name: name, ready: true, kubeletVersion: "v1.31.2", containerRuntimeVersion: "containerd://1.7.23",
                osImage: "Ubuntu 24.04.1 LTS", kernelVersion: "6.8.0-48-generic", architecture: "amd64",
                capacity: NodeResources(cpuCores: 8, memoryBytes: 32 << 30, pods: 110),
                allocatable: NodeResources(cpuCores: 8, memoryBytes: 31 << 30, pods: 110),
                roles: index == 0 ? ["control-plane"] : ["worker"])
        }
        let deploymentNames = (0..<cluster.deployments).map {
            "\(EstateLayout.applications[$0 % EstateLayout.applications.count])-\($0 / EstateLayout.applications.count + 1)"
        }
        let deployments = deploymentNames.enumerated().map { index, name in
            let desired = 1 + index % 3
            let ready = index == 1 ? desired - 1 : desired
            return KubernetesDeployment(
                uid: Self.uid(key, 2, index), name: name, namespace: Self.namespaces[index % Self.namespaces.count], desiredReplicas: desired,
                updatedReplicas: desired, readyReplicas: ready, availableReplicas: ready, labels: ["app": name])
        }
        let pods = (0..<cluster.pods).map { index -> KubernetesPod in
            let owner = deploymentNames.isEmpty ? nil : deploymentNames[index % deploymentNames.count]
            let name = "\(owner ?? "job")-\(Signal.hex(Signal.mix(key ^ UInt64(index)) & 0xFFFFF, width: 5).lowercased())"
            let crashing = index == 1
            let pending = index == 2
            return KubernetesPod(
                uid: Self.uid(key, 3, index), name: name, namespace: Self.namespaces[index % Self.namespaces.count],
                nodeName: pending || cluster.nodes.isEmpty ? nil : cluster.nodes[index % cluster.nodes.count],
                phase: pending ? "Pending" : "Running", reason: pending ? "Unschedulable" : nil, qosClass: "Burstable", createdAt: started,
                startTime: pending ? nil : started, restarts: crashing ? 14 + Int(time.timeIntervalSince(started) / 600) : 0,
                labels: owner.map { ["app": $0] }, ownerKind: owner == nil ? nil : "ReplicaSet", ownerName: owner,
                containers: [
                    PodContainer(
                        name: owner ?? "job", image: EstateLayout.images[index % EstateLayout.images.count], ready: !crashing && !pending,
                        restartCount: crashing ? 14 : 0, state: crashing ? "waiting" : pending ? "waiting" : "running",
                        reason: crashing ? "CrashLoopBackOff" : pending ? "ContainerCreating" : nil)
                ])
        }
        return KubernetesReport(
            agent: AgentInfo(id: cluster.agentID, version: Self.agentVersion, type: HostAgentInfo.unifiedType, intervalSeconds: interval),
            cluster: KubernetesCluster(
                id: cluster.id, name: cluster.name, server: "https://\(cluster.name).k8s.demo.invalid:6443", context: cluster.name,
                version: "v1.31.2",
                provider: "k3s"),
            nodes: nodes, pods: pods, deployments: deployments, timestamp: time)
    }

    static let namespaces = ["default", "apps", "monitoring", "ingress"]

    // MARK: Helpers

    private func wave(_ key: UInt64, _ salt: UInt64, base: Double, spread: Double, swing: Double) -> Double {
        signal.wave(key ^ salt, at: time, base: base + Signal.unit(key, salt) * spread, swing: swing)
    }

    private func counter(_ key: UInt64, _ rate: Double) -> UInt64 {
        signal.counter(key, at: time, rate: rate * (0.5 + Signal.unit(key, 120)))
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static func disk(_ device: String, _ mountpoint: String, _ type: String, total: Int64, used: Int64) -> DiskUsage {
        DiskUsage(
            device: device, mountpoint: mountpoint, filesystem: device, type: type, totalBytes: total, usedBytes: used, freeBytes: total - used,
            usage: rounded(Double(used) / Double(total) * 100))
    }

    /// A machine ID shaped like `/etc/machine-id` as a UUID.
    static func machineID(_ key: UInt64) -> String {
        let a = Signal.hex(Signal.mix(key), width: 16).lowercased()
        let b = Signal.hex(Signal.mix(key ^ 0xFF), width: 16).lowercased()
        let all = Array(a + b)
        return [all[0..<8], all[8..<12], all[12..<16], all[16..<20], all[20..<32]].map { String($0) }.joined(separator: "-")
    }

    static func uid(_ key: UInt64, _ kind: UInt64, _ index: Int) -> String {
        machineID(key ^ (kind << 32) ^ UInt64(index))
    }

    static func mac(_ key: UInt64) -> String {
        "02:" + (0..<5).map { Signal.hex(key >> (8 * UInt64($0)) & 0xFF, width: 2).lowercased() }.joined(separator: ":")
    }
}

import AgentProtocol
import Foundation
import Testing

@Suite("Docker report")
struct DockerReportTests {
    @Test func maximalHost() throws {
        let report: DockerReport = try Fixture.dockerMaximal.decode()
        #expect(
            report.agent
                == AgentInfo(
                    id: "KQ7Z:3XWV:PL2M:7RTA:Q4NB:YH6C:UE5D:JK8S:M2FG:VB9X:CN1A:ZW3E",
                    version: "5.1.36", type: "unified", intervalSeconds: 30))
        #expect(report.host.hostname == "dockhand")
        #expect(report.host.runtime == "docker")
        #expect(report.host.totalCpu == 8)
        #expect(report.host.totalMemoryBytes == 33_554_432_000)
        #expect(report.host.cpuUsagePercent == 23.4)
        #expect(report.host.memory.usedBytes == 20_132_659_200)
        #expect(report.host.disks?.first?.usedBytes == 150_474_262_118)
        #expect(report.host.network?.first?.speedMbps == 1000)
        let swarm = try #require(report.host.swarm)
        #expect(swarm.nodeRole == "manager")
        #expect(swarm.controlAvailable == true)
        #expect(swarm.clusterId == "c0l5t3r1d2e3f4g5h6i7j8k9")
        #expect(swarm.scope == "cluster")
        #expect(swarm.error == nil)
        #expect(sameMillisecond(report.timestamp, unixDate(1_732_383_727, millis: 500)))
    }

    /// The heap storage of a string (nil when it is stored inline).
    static func storage(_ text: String) -> UnsafeRawPointer? {
        text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test func repeatedLabelsImagesAndNetworksShareOneStringWithinAReport() throws {
        func container(_ index: Int) -> [String: Any] {
            [
                "id": String(repeating: "\(index)", count: 64), "name": "svc-\(index)", "image": "registry.example/team/app:1.4.2",
                "imageDigest": "sha256:" + String(repeating: "ab", count: 32), "createdAt": "2025-06-01T10:00:00Z", "state": "running",
                "status": "Up 2 hours",
                "labels": ["com.docker.compose.project": "a-long-compose-project", "com.docker.compose.service": "svc-\(index)"],
                "networks": [["name": "a-long-compose-project_default", "ipv4": "172.18.0.\(index + 2)"]],
            ]
        }
        let object: [String: Any] = [
            "agent": ["id": "agent", "version": "5.1.36", "type": "unified", "intervalSeconds": 30],
            "host": ["hostname": "dock", "runtime": "docker"], "containers": (0..<3).map(container),
            "timestamp": "2025-06-15T12:00:00Z",
        ]
        let json = [UInt8](try JSONSerialization.data(withJSONObject: object))
        let report = try AgentJSONDecoder().decode(DockerReport.self, from: json)
        let containers = report.containers
        #expect(containers.count == 3)
        let first = containers[0]
        for other in containers.dropFirst() {
            #expect(other.image == first.image && Self.storage(other.image) == Self.storage(first.image), "one image string")
            #expect(Self.storage(other.imageDigest ?? "") == Self.storage(first.imageDigest ?? ""), "one digest string")
            #expect(Self.storage(other.networks?.first?.name ?? "") == Self.storage(first.networks?.first?.name ?? ""), "one network name")
            let key = "com.docker.compose.project"
            let firstKey = try #require(first.labels?.keys.first { $0 == key })
            let otherKey = try #require(other.labels?.keys.first { $0 == key })
            #expect(Self.storage(otherKey) == Self.storage(firstKey), "one label key")
            #expect(Self.storage(other.labels?[key] ?? "") == Self.storage(first.labels?[key] ?? ""), "one label value")
            #expect(other.id != first.id && Self.storage(other.id) != Self.storage(first.id), "different values stay apart")
        }
        #expect(Self.storage(first.image) != nil, "a long string lives on the heap, so sharing it means something")
    }

    @Test func podmanMetadataAndUpdateStatusAreKeptOutOfLineAndEncodeLikeOptionals() throws {
        // 528 bytes with both inline (152 + 64 of them), in every container the server holds.
        #expect(MemoryLayout<ContainerReport>.stride <= 336, "\(MemoryLayout<ContainerReport>.stride) bytes")
        var container = ContainerReport(
            id: "c1", name: "web", image: "nginx:1.25", createdAt: Date(timeIntervalSince1970: 1_700_000_000), state: "running", status: "Up")
        for encoder in [AgentJSONEncoder(sortedKeys: true)] {
            let plain = String(decoding: try encoder.encode(container), as: UTF8.self)
            #expect(!plain.contains("podman") && !plain.contains("updateStatus"), "absent members are no keys: \(plain)")
        }
        let foundationPlain = String(decoding: try JSONEncoder().encode(container), as: UTF8.self)
        #expect(!foundationPlain.contains("podman") && !foundationPlain.contains("updateStatus"), "\(foundationPlain)")

        container.podman = PodmanMetadata(podName: "pod-a", composeProject: "stack")
        container.updateStatus = ImageUpdateStatus(
            updateAvailable: true, latestDigest: "sha256:" + String(repeating: "f", count: 64),
            lastChecked: Date(timeIntervalSince1970: 1_700_000_100))
        let copy = container
        #expect(copy == container)
        let json = try AgentJSONEncoder(sortedKeys: true).encode(container)
        let decoded = try AgentJSONDecoder().decode(ContainerReport.self, from: json)
        #expect(decoded == container)
        #expect(decoded.podman?.podName == "pod-a" && decoded.updateStatus?.updateAvailable == true)
        let foundationJSON = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(container)) as? [String: Any])
        #expect((foundationJSON["podman"] as? [String: Any])?["podName"] as? String == "pod-a", "a present member is encoded under its own key")

        var changed = copy
        changed.podman?.podName = "pod-b"
        #expect(changed.podman?.podName == "pod-b" && copy.podman?.podName == "pod-a", "a change to one copy leaves the other")
        #expect(changed != copy)
        changed.podman = nil
        #expect(changed.podman == nil && copy.podman != nil)
    }

    @Test func runningHealthyContainer() throws {
        let proxy = try Fixture.dockerMaximal.decode(as: DockerReport.self).containers[0]
        #expect(proxy.name == "proxy")
        #expect(proxy.state == "running")
        #expect(proxy.health == "healthy")
        #expect(proxy.status == "Up 3 weeks (healthy)")
        #expect(proxy.cpuPercent == 2.35)
        #expect(proxy.memoryUsageBytes == 15_728_640)
        #expect(proxy.imageDigest?.hasPrefix("sha256:4c5d6e7f") == true)
        #expect(proxy.finishedAt == nil)
        // 2024-11-02T08:22:10.987654321Z
        #expect(sameMillisecond(proxy.startedAt, unixDate(1_730_535_730, millis: 988)))
        let ports = try #require(proxy.ports)
        #expect(ports[0] == ContainerPort(privatePort: 80, publicPort: 8080, protocol: "tcp", ip: "0.0.0.0"))
        #expect(ports[2].publicPort == nil)
        #expect(ports[2].ip == nil)
        #expect(proxy.labels?["com.docker.compose.service"] == "proxy")
        #expect(proxy.env == ["NGINX_PORT=80", "TZ=Europe/Berlin"])
        #expect(proxy.networks?[0].ipv6 == "fd00:dead:beef::2")
        #expect(proxy.writableLayerBytes == 8192)
        #expect(proxy.rootFilesystemBytes == 48_234_496)
        #expect(proxy.blockIo == ContainerBlockIO(readBytes: 10_485_760, writeBytes: 4096))
        let mounts = try #require(proxy.mounts)
        #expect(mounts[0].rw == false)
        #expect(mounts[0].mode == "ro")
        #expect(mounts[0].propagation == "rprivate")
        #expect(mounts[1].rw == true)
        #expect(mounts[1].name == "edge_certs")
        #expect(mounts[1].driver == "local")
        let update = try #require(proxy.updateStatus)
        #expect(update.updateAvailable)
        #expect(update.latestDigest?.hasPrefix("sha256:0a9b8c7d") == true)
        #expect(sameMillisecond(update.lastChecked, unixDate(1_732_377_600)))
        #expect(proxy.podman == nil)
    }

    @Test func oomKilledRestartingAndPodmanContainers() throws {
        let containers = try Fixture.dockerMaximal.decode(as: DockerReport.self).containers
        #expect(containers.count == 4)

        let oom = containers[1]
        #expect(oom.state == "exited")
        #expect(oom.exitCode == 137)
        #expect(oom.restartCount == 4)
        #expect(oom.memoryLimitBytes == 1_073_741_824)
        #expect(oom.health == nil)
        #expect(sameMillisecond(oom.finishedAt, unixDate(1_732_383_041, millis: 250)))
        #expect(oom.updateStatus?.error == "auth required")
        #expect(oom.updateStatus?.updateAvailable == false)
        #expect(oom.networks == [ContainerNetwork(name: "backend")])

        let restarting = containers[2]
        #expect(restarting.state == "restarting")
        #expect(restarting.health == "unhealthy")
        #expect(restarting.restartCount == 57)
        #expect(restarting.exitCode == 1)

        let podman = containers[3]
        #expect(podman.cpuPercent == 137.5)
        #expect(podman.memoryPercent == 18.75)
        #expect(podman.health == "starting")
        #expect(podman.labels?["io.podman.compose.project"] == "nextcloud")
        let meta = try #require(podman.podman)
        #expect(meta.podName == "pod_nextcloud")
        #expect(meta.infra == false)
        #expect(meta.composeProject == "nextcloud")
        #expect(meta.composeService == "db")
        #expect(meta.composeWorkdir == "/srv/nextcloud")
        #expect(meta.composeConfigHash == "f0e1d2c3b4a5")
        #expect(meta.autoUpdatePolicy == "registry")
        #expect(meta.autoUpdateRestart == "true")
        #expect(meta.userNamespace == "keep-id")
    }

    @Test func swarmServicesAndTasks() throws {
        let report: DockerReport = try Fixture.dockerMaximal.decode()
        let services = try #require(report.services)
        #expect(services.count == 2)
        #expect(services[0].stack == "web")
        #expect(services[0].desiredTasks == 3)
        #expect(services[0].runningTasks == 2)
        #expect(services[0].completedTasks == nil)
        #expect(
            services[0].endpointPorts == [
                SwarmServicePort(
                    name: "http", protocol: "tcp", targetPort: 3000, publishedPort: 80, publishMode: "ingress")
            ])
        #expect(services[0].updateStatus?.state == "updating")
        #expect(services[1].mode == "global")
        #expect(sameMillisecond(services[1].updateStatus?.completedAt, unixDate(1_730_462_430)))
        let tasks = try #require(report.tasks)
        #expect(tasks[0].slot == 1)
        #expect(tasks[0].nodeName == "dockhand")
        #expect(tasks[0].completedAt == nil)
        #expect(tasks[1].currentState == "failed")
        #expect(tasks[1].error == "task: non-zero exit (1)")
        #expect(tasks[1].containerId == nil)
        #expect(sameMillisecond(tasks[1].completedAt, unixDate(1_732_383_371)))
    }

    @Test func minimalReport() throws {
        let report: DockerReport = try Fixture.dockerMinimal.decode()
        #expect(report.agent == AgentInfo(id: "docker-min", version: "5.0.0", intervalSeconds: 30))
        #expect(report.host == DockerHostInfo(hostname: "smallbox"))
        #expect(report.containers.isEmpty)
        #expect(report.services == nil)
        #expect(report.tasks == nil)
        #expect(sameMillisecond(report.timestamp, unixDate(1_732_383_727)))
    }
}

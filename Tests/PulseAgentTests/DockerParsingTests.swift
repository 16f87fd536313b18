import AgentProtocol
import Foundation
import Testing

@testable import PulseAgent

/// Engine API answers recorded from Podman 4.3's Docker-compatible service (`Fixtures/podman-4.3`,
/// captured with ../shared/peers/podman-peer.sh samples) turned into report containers.
@Suite struct DockerParsingTests {
    static func decode<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: FixtureRoot.folder("podman-4.3/\(name).json")))
        return try AgentJSONDecoder().decode(T.self, from: Array(data))
    }

    func container(_ name: String, stats: Bool = false, cpu: Double = 0) throws -> ContainerReport {
        let summaries = try Self.decode("containers-json-all", as: [EngineAPI.ContainerSummary].self)
        let summary = try #require(summaries.first { $0.names?.first == "/\(name)" })
        let inspect = try Self.decode("inspect-\(name)", as: EngineAPI.ContainerInspect.self)
        let statsReply = stats ? try Self.decode("stats-\(name)", as: EngineAPI.Stats.self) : nil
        let started = try #require(inspect.state?.startedAt.flatMap(ContainerReportBuilder.time))
        return ContainerReportBuilder(
            summary: summary, inspect: inspect, stats: statsReply, cpuPercent: cpu, sizes: (1024, 4096), isPodman: true,
            now: started.addingTimeInterval(90)
        ).report
    }

    @Test func versionNamesPodmanAndItsAPIVersion() throws {
        let version = try Self.decode("version", as: EngineAPI.Version.self)
        #expect(version.isPodman)
        #expect(version.apiVersion == "1.41")
        let info = try Self.decode("info", as: EngineAPI.Info.self)
        #expect((info.ncpu ?? 0) > 0 && (info.memTotal ?? 0) > 0)
        #expect(info.swarm?.localNodeState == "inactive")
    }

    @Test func runningContainerWithAMemoryLimit() throws {
        let report = try container("peer-api", stats: true, cpu: 12.5)
        #expect(report.name == "peer-api" && report.state == "running" && report.status.hasPrefix("Up"))
        #expect(report.image == "localhost/busybox:latest")
        #expect(report.cpuPercent == 12.5)
        #expect(report.memoryLimitBytes == 67_108_864, "the configured limit, not the host's memory")
        #expect(report.memoryUsageBytes == 339_968)
        #expect(abs(report.memoryPercent - 339_968.0 / 67_108_864 * 100) < 1e-9)
        #expect(report.uptimeSeconds == 90 && report.finishedAt == nil)
        #expect(report.labels?["org.example.role"] == "api-created")
        #expect(report.writableLayerBytes == 1024 && report.rootFilesystemBytes == 4096)
    }

    @Test func exitedContainerKeepsItsExitCodeAndFinishTime() throws {
        let report = try container("peer-exit3", cpu: 50)
        #expect(report.state == "exited" && report.exitCode == 3)
        #expect(report.status.hasPrefix("Exited (3)"))
        #expect(report.finishedAt != nil && report.uptimeSeconds == 0)
        #expect(report.cpuPercent == 0, "a stopped container uses no CPU whatever the last delta said")
        #expect(report.memoryUsageBytes == 0 && report.memoryLimitBytes == 0)
    }

    @Test func healthComesFromTheInspectNotTheStatusText() throws {
        let report = try container("peer-unhealthy")
        #expect(report.health == "unhealthy")
        #expect(!report.status.contains("unhealthy"), "Podman's list status has no health suffix")
    }

    @Test func cpuPercentIsTheShareOfHostTimeInCores() {
        let earlier = ContainerCPUSample(total: 1_000_000_000, system: 100_000_000_000, onlineCPUs: 4)
        // 1 s of container time while the 4-CPU host clocked 4 s: one full core.
        let later = ContainerCPUSample(total: 2_000_000_000, system: 104_000_000_000, onlineCPUs: 4)
        #expect(later.percent(since: earlier) == 100)
        let restarted = ContainerCPUSample(total: 10, system: 105_000_000_000, onlineCPUs: 4)
        #expect(restarted.percent(since: later) == 0, "a restarted container's counter starts again")
        #expect(later.percent(since: later) == 0)
        #expect(ContainerCPUSample(nil) == nil)
    }

    @Test func socketsAreTriedInPulsesOrder() {
        #expect(
            DockerSocket.candidates(environment: ["DOCKER_HOST": "unix:///srv/docker.sock"], userID: 1000) == [
                "/srv/docker.sock", "/var/run/docker.sock", "/run/user/1000/docker.sock", "/run/podman/podman.sock",
                "/run/user/1000/podman/podman.sock",
            ])
        #expect(DockerSocket.candidates(environment: ["DOCKER_HOST": "tcp://10.0.0.1:2375"], userID: 0).first == "/var/run/docker.sock")
        #expect(!DockerSocket.isSocket("/etc/hostname"))
    }

    /// Podman has no swarm, so these shapes follow the Engine API reference (v1.41 `/services`,
    /// `/tasks`); written by hand, not recorded.
    @Test func swarmServicesAndTasks() throws {
        let services = try AgentJSONDecoder().decode(
            [EngineAPI.Service].self,
            from: Array(
                #"""
                [{"ID":"svc1","CreatedAt":"2025-06-01T10:00:00.5Z","UpdatedAt":"2025-06-02T10:00:00Z",
                  "Spec":{"Name":"web_nginx","Labels":{"com.docker.stack.namespace":"web"},"Mode":{"Replicated":{"Replicas":3}},
                          "TaskTemplate":{"ContainerSpec":{"Image":"nginx:1.27@sha256:abc"}}},
                  "Endpoint":{"Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]},
                  "ServiceStatus":{"RunningTasks":2,"DesiredTasks":3,"CompletedTasks":0},
                  "UpdateStatus":{"State":"rollback_completed","Message":"rollback completed","CompletedAt":"2025-06-02T10:00:00Z"}},
                 {"ID":"svc2","Spec":{"Name":"agent","Mode":{"Global":{}}}}]
                """#.utf8))
        let web = SwarmReportBuilder.service(services[0])
        #expect(web.name == "web_nginx" && web.stack == "web" && web.mode == "replicated" && web.image == "nginx:1.27@sha256:abc")
        #expect(web.desiredTasks == 3 && web.runningTasks == 2 && web.completedTasks == 0)
        #expect(web.endpointPorts == [SwarmServicePort(protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress")])
        #expect(web.updateStatus?.state == "rollback_completed" && web.updateStatus?.completedAt != nil)
        #expect(SwarmReportBuilder.service(services[1]).mode == "global")

        let tasks = try AgentJSONDecoder().decode(
            [EngineAPI.Task].self,
            from: Array(
                #"""
                [{"ID":"t1","ServiceID":"svc1","NodeID":"n1","Slot":2,"DesiredState":"running","CreatedAt":"2025-06-02T10:00:00Z",
                  "Status":{"Timestamp":"2025-06-02T10:00:01Z","State":"failed","Message":"started","Err":"task: non-zero exit (137)",
                            "ContainerStatus":{"ContainerID":"c0ffee","ExitCode":137}}}]
                """#.utf8))
        let task = SwarmReportBuilder.task(tasks[0], services: ["svc1": "web_nginx"])
        #expect(task.serviceName == "web_nginx" && task.slot == 2 && task.currentState == "failed" && task.desiredState == "running")
        #expect(task.error == "task: non-zero exit (137)" && task.containerId == "c0ffee")
    }
}

import AgentProtocol
import Foundation
import Glibc
import Testing

@testable import PulseAgent

/// The Docker module against a real Docker Engine API: Podman's compatible service from Debian,
/// started by `../shared/peers/podman-peer.sh` with its fixture containers (running, exited with
/// code 3, healthy, unhealthy, restart-looping, created through the API with a memory limit).
@Suite("Docker module against a real podman service", .serialized, .enabled(if: getuid() == 0, "the podman peer needs root"))
struct DockerPeerTests {
    /// Runs the podman peer script; `up` installs podman when missing and builds the fixture containers.
    static func peer(_ action: String, folder: String) async throws {
        try await PeerScript.run("podman-peer.sh", action, peerDirectory: folder, log: folder + ".log")
    }

    /// Starts the peer, runs `body` with its socket, and takes the peer down again.
    static func withPeer(_ body: (String, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-podman-\(UUID().uuidString)").path
        try await peer("up", folder: folder)
        var failure: (any Error)?
        do { try await body(folder + "/podman.sock", folder) } catch { failure = error }
        try? await peer("down", folder: folder)
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: folder + ".log")
        if let failure { throw failure }
    }

    @Test func everyContainerStateHealthExitCodeAndRestartIsReportedAndCPUComesFromDeltas() async throws {
        try await Self.withPeer { socket, folder in
            // A busy container, created through the API like the others: its CPU must show.
            let create = #"{"Image":"localhost/busybox:latest","Cmd":["sh","-c","while :; do :; done"],"HostConfig":{"NetworkMode":"none"}}"#
            let curl = { (arguments: [String]) throws in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                process.arguments = ["-sf", "--unix-socket", socket] + arguments
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "\(arguments)")
            }
            try curl(["-X", "POST", "-H", "Content-Type: application/json", "http://d/v1.41/containers/create?name=peer-busy", "-d", create])
            try curl(["-X", "POST", "http://d/v1.41/containers/peer-busy/start"])
            defer { try? curl(["-X", "DELETE", "http://d/v1.41/containers/peer-busy?force=true"]) }

            let collector = DockerCollector(socketPath: socket, settings: .init(intervalSeconds: 5, agentID: "docker-test"))
            let first = try await collector.collect()
            try await Self.peer("tick", folder: folder)
            try await Task.sleep(for: .seconds(1))  // real CPU time has to pass between the two stats readings
            let report = try await collector.collect()
            let byName = Dictionary(uniqueKeysWithValues: report.containers.map { ($0.name, $0) })

            #expect(report.agent.id == "docker-test")
            #expect(report.host.runtime == "podman")
            #expect(report.host.runtimeVersion?.hasPrefix("4.") == true)
            #expect((report.host.totalCpu ?? 0) > 0 && (report.host.totalMemoryBytes ?? 0) > 0)
            #expect(
                Set(byName.keys).isSuperset(of: [
                    "peer-sleeper", "peer-exit3", "peer-healthy", "peer-unhealthy", "peer-restart", "peer-api", "peer-busy",
                ]))

            let sleeper = try #require(byName["peer-sleeper"])
            #expect(sleeper.state == "running" && sleeper.status.hasPrefix("Up"))
            #expect(sleeper.labels?["org.example.role"] == "sleeper")
            #expect(sleeper.uptimeSeconds >= 0 && sleeper.startedAt != nil && sleeper.finishedAt == nil)
            #expect(sleeper.memoryUsageBytes > 0)

            let exited = try #require(byName["peer-exit3"])
            #expect(exited.state == "exited" && exited.exitCode == 3)
            #expect(exited.finishedAt != nil && exited.cpuPercent == 0 && exited.uptimeSeconds == 0)

            #expect(byName["peer-healthy"]?.health == "healthy")
            #expect(byName["peer-unhealthy"]?.health == "unhealthy")
            #expect(byName["peer-sleeper"]?.health == nil, "no healthcheck, no health")
            #expect((byName["peer-restart"]?.restartCount ?? 0) >= 1, "the restart loop is counted")

            let limited = try #require(byName["peer-api"])
            #expect(limited.memoryLimitBytes == 67_108_864)
            #expect(limited.labels?["org.example.role"] == "api-created")
            #expect(limited.memoryPercent > 0 && limited.memoryPercent < 100)

            #expect(first.containers.first { $0.name == "peer-busy" }?.cpuPercent == 0, "no CPU figure from a single reading")
            let busy = try #require(byName["peer-busy"]?.cpuPercent)
            // A spinning shell uses up to one core; on a machine busy with other tests it may get
            // far less, so the check is that the figure is clearly there and bounded by the 2 cores.
            let idle = byName["peer-sleeper"]?.cpuPercent ?? 100
            #expect(busy > 10 && busy <= 200, "a spinning shell shows its CPU; got \(busy)")
            #expect(idle < 5 && busy > idle * 5, "the idle container reads near zero beside it; got \(idle) and \(busy)")
        }
    }

    @Test func agentReportsContainersAndHonoursAStopCommand() async throws {
        try await Self.withPeer { socket, _ in
            let server = try await LiveServer(token: String(repeating: "cd", count: 32))
            let work = server.work
            let url = server.url
            let client = server.client
            func dockerHosts() async -> [[String: Any]] { await server.objects("dockerHosts") }
            let agentLog = work.appendingPathComponent("agent.log")
            let agent = try server.processes.start(
                FixtureRoot.agentBinary,
                [
                    "--url", url, "--token-file", server.tokenFile.path, "--interval", "1s", "--buffer-dir",
                    work.appendingPathComponent("buffer").path,
                    "--health-addr", "off",
                ],
                log: agentLog, environment: ["DOCKER_HOST": "unix://" + socket])

            #expect(try await EndToEndTests.eventually(20) { (await dockerHosts().first?["containers"] as? [Any])?.count ?? 0 >= 6 })
            let host = try #require(await dockerHosts().first)
            let hostID = try #require(host["id"] as? String)
            #expect(host["runtime"] as? String == "podman")
            let containers = try #require(host["containers"] as? [[String: Any]])
            #expect(containers.first { $0["name"] as? String == "peer-exit3" }?["exitCode"] as? Int == 3)

            // Removing an online Docker host queues a stop command; the agent acknowledges it
            // as completed, the server drops the host, and the agent stops Docker reporting only.
            let removal = try await client.delete(url + "/api/agents/docker/hosts/\(hostID)", headers: ["X-API-Token: \(server.token)"])
            #expect((200..<300).contains(removal.status))
            #expect(try await EndToEndTests.eventually(15) { await dockerHosts().isEmpty }, "the acknowledged stop removes the host")
            #expect(
                try await EndToEndTests.eventually(5) {
                    ((try? String(contentsOf: agentLog, encoding: .utf8)) ?? "").contains("reporting stopped at the server's request")
                })
            let receivedBefore = await server.objects("hosts").first?["reportsReceived"] as? Int ?? 0
            #expect(
                try await EndToEndTests.eventually(5) {
                    await server.objects("hosts").first?["reportsReceived"] as? Int ?? 0 > receivedBefore
                }, "host reporting goes on")
            #expect(await dockerHosts().isEmpty, "and Docker reports do not come back")
            #expect(agent.isRunning)
        }
    }

    @Test func aVanishedDockerSocketNeverStopsHostReporting() async throws {
        let server = try await LiveServer(token: String(repeating: "5e", count: 32))
        let agentLog = server.work.appendingPathComponent("agent.log")
        var agent: Process?
        try await Self.withPeer { socket, _ in
            agent = try server.processes.start(
                FixtureRoot.agentBinary,
                [
                    "--url", server.url, "--token-file", server.tokenFile.path, "--interval", "1s", "--health-addr", "off",
                    "--disable-auto-update", "--buffer-dir", server.work.appendingPathComponent("buffer").path,
                ],
                log: agentLog, environment: ["DOCKER_HOST": "unix://" + socket])
            #expect(try await EndToEndTests.eventually(20) { await server.objects("dockerHosts").count == 1 })
        }
        // withPeer has taken the podman service down: the socket is gone.
        let received = await server.objects("hosts").first?["reportsReceived"] as? Int ?? 0
        #expect(
            try await EndToEndTests.eventually(10) {
                ((try? String(contentsOf: agentLog, encoding: .utf8)) ?? "").contains("collecting the report failed")
            }, "the Docker loop notices")
        #expect(
            try await EndToEndTests.eventually(10) {
                await server.objects("hosts").first?["reportsReceived"] as? Int ?? 0 >= received + 3
            }, "host reports keep coming")
        #expect(agent?.isRunning == true)
    }
}

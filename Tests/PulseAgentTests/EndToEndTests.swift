import Foundation
import Glibc
import TestSupport
import Testing

@testable import PulseAgent

/// The real `pulse` and `pulse-agent` binaries on loopback: the agent reports this machine,
/// survives a server restart by buffering, and every report it produced reaches the server.
@Suite("Agent → server, end to end", .serialized)
struct EndToEndTests {
    final class Processes {
        var running: [Process] = []
        /// SIGKILL, not SIGTERM: the test process ignores SIGTERM (the server code under test
        /// handles it through a dispatch source), and children inherit that, so a python helper
        /// would outlive the test.
        deinit { for process in running where process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        /// Starts `binary`. A binary this test process has just written (the self-update tests'
        /// installed agent) can be briefly "busy": a child another test forked meanwhile holds the
        /// written file open until it execs, and exec then fails with ETXTBSY. That is retried for
        /// up to 2 s; any other failure is not.
        func start(_ binary: String, _ arguments: [String], log: URL, environment: [String: String] = [:]) throws -> Process {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            var attempt = 1
            while true {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = arguments
                if !environment.isEmpty {
                    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                }
                process.standardOutput = handle
                process.standardError = handle
                do {
                    try process.run()
                } catch let error as NSError where attempt < 40 && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                    attempt += 1
                    Thread.sleep(forTimeInterval: 0.05)
                    continue
                }
                running.append(process)
                return process
            }
        }
    }

    static var serverBinary: String {
        URL(fileURLWithPath: FixtureRoot.agentBinary).deletingLastPathComponent().appendingPathComponent("pulse").path
    }

    static func freePort() -> Int { PortReservation.freePort() }

    /// Polls `condition` every 100 ms for at most `seconds`.
    static func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test func agentReportsThisMachineAndLosesNothingAcrossAServerRestart() async throws {
        let server = try await LiveServer(token: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined())
        let url = server.url
        let buffer = server.work.appendingPathComponent("buffer")
        let processes = server.processes
        let client = server.client
        func host() async throws -> [String: Any]? { await server.objects("hosts").first }
        func buffered() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: buffer.path)) ?? []).filter { $0.hasSuffix(".json") }.count
        }

        let health = "http://127.0.0.1:\(Self.freePort())"
        let agent = try processes.start(
            FixtureRoot.agentBinary,
            [
                "--url", url, "--token-file", server.tokenFile.path, "--interval", "1s", "--buffer-dir", buffer.path,
                "--health-addr", String(health.dropFirst("http://".count)), "--no-enable-docker",
            ],
            log: server.work.appendingPathComponent("agent.log"))
        func metric(_ name: String) async -> Double? {
            guard let reply = try? await client.get(health + "/metrics", headers: []) else { return nil }
            let line = String(decoding: reply.body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(name + " ") }
            return line.flatMap { Double($0.split(separator: " ")[1]) }
        }

        #expect(try await Self.eventually(10) { (try await host()?["reportsReceived"] as? Int ?? 0) >= 2 })
        #expect(try await client.get(health + "/readyz", headers: []).status == 200, "ready once reports reach the server")
        #expect(await (metric("pulse_agent_reports_delivered_total") ?? 0) >= 2)
        let first = try #require(try await host())
        let memTotal = try #require(SystemRoot.live.read("/proc/meminfo").flatMap(MemInfo.init)?.totalBytes)
        #expect((first["memory"] as? [String: Any])?["total"] as? Int64 == memTotal)
        let cpu = try #require(first["cpuUsage"] as? Double)
        #expect((0...100).contains(cpu))

        try await server.stop()
        #expect(try await Self.eventually(15) { buffered() >= 3 }, "reports pile up while the server is down")
        #expect(try await Self.eventually(15) { await (metric("pulse_agent_reports_buffered") ?? 0) >= 3 })
        #expect(await (metric("pulse_agent_delivery_failures_total") ?? 0) >= 1)
        try await server.start()
        #expect(try await Self.eventually(15) { buffered() == 0 }, "the buffer drains after the restart")

        agent.terminate()
        try await ChildProcess.waitForExit(agent)
        #expect(agent.terminationStatus == 0, "SIGTERM stops the agent cleanly")
        let last = try #require(try await host())
        let sequence = try #require((last["sequenceId"] as? String)?.split(separator: "-").last.flatMap { Int($0) })
        #expect(last["reportsReceived"] as? Int == sequence, "every report the agent produced reached the server")
        try await server.stop()
    }

    /// ServiceLifecycle's debug line "Starting service" printed each service whole, the report
    /// sender with its token among them (the build before this change logged the token 4 times in
    /// 4 s); the agent's own loops log their names only.
    @Test func atDebugLevelTheAgentNeverLogsItsToken() async throws {
        let server = try await LiveServer(token: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined())
        let log = server.work.appendingPathComponent("agent-debug.log")
        let agent = try server.processes.start(
            FixtureRoot.agentBinary,
            [
                "--url", server.url, "--token-file", server.tokenFile.path, "--interval", "1s", "--log-level", "debug",
                "--health-addr", "off", "--no-enable-docker", "--disable-auto-update", "--buffer-dir",
                server.work.appendingPathComponent("buffer").path,
            ],
            log: log)
        #expect(try await Self.eventually(15) { (await server.objects("hosts").first?["reportsReceived"] as? Int ?? 0) >= 2 })
        agent.terminate()
        try await ChildProcess.waitForExit(agent)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("reporting"), "the agent logged: \(text.prefix(500))")
        #expect(!text.contains(server.token), "the token is in the agent's debug log")
        #expect(!text.contains(String(server.token.prefix(16))), "part of the token is in the agent's debug log")
        try await server.stop()
    }

    @Test func selfTestChecksTheServerAndTheTokenScope() async throws {
        let admin = String(repeating: "a1", count: 32)
        let server = try await LiveServer(token: admin)
        let work = server.work
        let url = server.url
        let client = server.client

        func selfTest(token: String) async throws -> ChildProcess.Outcome {
            let tokenFile = work.appendingPathComponent("agent-token-\(UUID().uuidString)")
            try token.write(to: tokenFile, atomically: true, encoding: .utf8)
            return try await ChildProcess.run(FixtureRoot.agentBinary, ["--self-test", "--url", url, "--token-file", tokenFile.path])
        }
        let good = try await selfTest(token: admin)
        #expect(good.status == 0, "\(good.text)")
        #expect(good.text.contains("[ok  ] server:") && good.text.contains("self-test passed"))

        let minted = try await client.post(
            url + "/api/security/tokens", headers: ["X-API-Token: \(admin)", "Content-Type: application/json"],
            body: Array(#"{"name":"wrong","scopes":["docker:report"]}"#.utf8))
        let wrongScope = try #require((try JSONSerialization.jsonObject(with: Data(minted.body)) as? [String: Any])?["token"] as? String)
        let refused = try await selfTest(token: wrongScope)
        #expect(refused.status == 1)
        #expect(refused.text.contains("[FAIL] server: the token lacks the host-agent:report scope (403)"))
        try await server.stop()
    }

    /// Settings changed on the server reach the running agent in its report replies and apply
    /// from its next cycle: the same process (same PID, same report sequence) then reports them.
    @Test func settingsChangedOnTheServerApplyWithoutARestart() async throws {
        let server = try await LiveServer(token: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined())
        let url = server.url
        let client = server.client
        let agent = try server.processes.start(
            FixtureRoot.agentBinary,
            [
                "--url", url, "--token-file", server.tokenFile.path, "--interval", "1s", "--buffer-dir",
                server.work.appendingPathComponent("buffer").path, "--health-addr", "off", "--no-enable-docker",
            ],
            log: server.work.appendingPathComponent("agent.log"))
        func host() async -> [String: Any]? { await server.objects("hosts").first }
        func applied() async -> [String: Any] { await host()?["appliedSettings"] as? [String: Any] ?? [:] }
        func patch(_ body: String) async throws {
            let id = try #require(await host()?["id"] as? String)
            let reply = try await client.send(
                "PATCH", url + "/api/agents/host/\(id)/config",
                headers: ["X-API-Token: \(server.token)", "Content-Type: application/json"], body: Array(body.utf8))
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        }
        func run() async -> Substring? { (await host()?["sequenceId"] as? String)?.split(separator: "-").first }

        #expect(try await Self.eventually(15) { await applied()["interval"] as? String == "1s" }, "the agent says what it runs with")
        let before = await applied()
        #expect(before["enable_host"] as? Bool == true && before["enable_docker"] as? Bool == false)
        let startedRun = try #require(await run())

        try await patch(#"{"settings":{"interval":"5s","disk_exclude":["*"],"enable_docker":true,"sensor_exclude":["*"]}}"#)
        #expect(
            try await Self.eventually(30) {
                let now = await applied()
                return now["interval"] as? String == "5s" && now["disk_exclude"] as? [String] == ["*"]
                    && now["sensor_exclude"] as? [String] == ["*"]
            }, "the next reports carry the server's settings")
        let changed = try #require(await host())
        #expect(changed["intervalSeconds"] as? Int == 5)
        #expect(changed["disks"] == nil, "every disk excluded by the server's glob")
        #expect(
            changed["appliedSettings"].flatMap { ($0 as? [String: Any])?["enable_docker"] as? Bool } == false,
            "no Docker loop was set up at start: it stays off, and says so")
        let sameRun = await run()
        #expect(agent.isRunning && sameRun == startedRun, "the same agent process, not a restart")

        try await patch(#"{"settings":{"interval":null}}"#)
        #expect(try await Self.eventually(30) { await applied()["interval"] as? String == "1s" }, "a cleared setting is the flag's again")
        let lastRun = await run()
        #expect(agent.isRunning && lastRun == startedRun)

        agent.terminate()
        try await ChildProcess.waitForExit(agent)
        try await server.stop()
    }

    /// While the server has switched host reports off, the host loop asks for its settings
    /// (`GET /api/agents/host/{id}/config`) instead, so switching them on again reaches it.
    @Test func withHostReportsOffTheAgentFetchesItsSettings() async throws {
        let server = try await LiveServer(token: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined())
        let sender = ReportSender(client: server.client, baseURL: server.url, token: server.token)
        let report =
            #"{"agent":{"id":"a-1","type":"unified"},"host":{"hostname":"fetcher","machineId":"m-fetch"},"timestamp":"2026-01-01T00:00:00Z"}"#
        guard case .delivered(let reply) = await sender.deliver(.host, body: Array(report.utf8)) else {
            Issue.record("the report was not delivered")
            return
        }
        let hostID = try #require((try JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any])?["hostId"] as? String)
        func patch(_ body: String) async throws {
            let answer = try await server.client.send(
                "PATCH", server.url + "/api/agents/host/\(hostID)/config",
                headers: ["X-API-Token: \(server.token)", "Content-Type: application/json"], body: Array(body.utf8))
            #expect(answer.status == 200)
        }
        let settings = RemoteSettings(local: .init(intervalSeconds: 30))
        settings.hostID = hostID
        let source = HostReportSource(
            collector: HostCollector(settings: .init(root: SystemRoot("/nonexistent"))), settings: settings, sender: sender)

        try await patch(#"{"settings":{"enable_host":false,"interval":"10s"}}"#)
        #expect(await source.whileDisabled() == .keepReporting)
        #expect(!settings.isEnabled(.host) && settings.interval == .seconds(10))
        try await patch(#"{"settings":{"enable_host":true}}"#)
        #expect(await source.whileDisabled() == .keepReporting)
        #expect(settings.isEnabled(.host), "switched on again without a host report")
        try await server.stop()
    }
}

import Foundation
import TestSupport
import Testing

@testable import PulseAgent

@Suite("Agent flags and environment")
struct AgentOptionsTests {
    func resolve(_ arguments: [String], _ environment: [String: String] = [:], files: [String: String] = [:]) throws -> AgentConfiguration {
        try AgentOptions.parse(arguments).resolve(environment: environment, defaultTokenFile: "/nonexistent/token") {
            files[$0]
        }
    }

    @Test func defaultsFollowPulse() throws {
        let configuration = try resolve([])
        #expect(configuration == AgentConfiguration())
        #expect(configuration.url == "http://localhost:7655" && configuration.intervalSeconds == 30 && configuration.enableHost)
    }

    @Test func serverURLLosesTrailingSlashesOnce() throws {
        #expect(try resolve(["--url", "https://pulse.example:7655//"]).url == "https://pulse.example:7655")
    }

    @Test func environmentAppliesAndFlagsWin() throws {
        let environment = [
            "PULSE_URL": "https://pulse.example:7655", "PULSE_TOKEN": "from-env", "PULSE_INTERVAL": "1m30s",
            "PULSE_ENABLE_DOCKER": "true", "PULSE_TAGS": "a, b", "PULSE_DISK_EXCLUDE": "/mnt/*", "PULSE_INSECURE_SKIP_VERIFY": "1",
        ]
        let fromEnvironment = try resolve([], environment)
        #expect(fromEnvironment.url == "https://pulse.example:7655")
        #expect(fromEnvironment.token == "from-env")
        #expect(fromEnvironment.intervalSeconds == 90)
        #expect(fromEnvironment.enableDocker == true && fromEnvironment.insecure)
        #expect(fromEnvironment.tags == ["a", "b"] && fromEnvironment.diskExclude == ["/mnt/*"])
        let flags = try resolve(["--url", "http://other:1", "--interval", "10s", "--tag", "x", "--no-enable-docker"], environment)
        #expect(flags.url == "http://other:1" && flags.intervalSeconds == 10 && flags.tags == ["x"] && flags.enableDocker == false)
    }

    @Test func goStyleBooleansAreUnderstood() throws {
        let configuration = try resolve(["--enable-host=false", "--enable-docker=true", "-insecure"])
        #expect(!configuration.enableHost && configuration.enableDocker == true && configuration.insecure)
    }

    @Test func tokenFileWinsAndIsTrimmed() throws {
        let configuration = try resolve(
            ["--token", "ignored", "--token-file", "/etc/pulse-agent/token"], files: ["/etc/pulse-agent/token": "abc123\n"])
        #expect(configuration.token == "abc123")
    }

    @Test(arguments: [
        (["--url", "ftp://x"], "--url"), (["--interval", "soon"], "--interval"), (["--interval", "0s"], "--interval"),
        (["--log-level", "loud"], "--log-level"), (["--token-file", "/missing"], "token file"),
        (["--proxmox-type", "pmg"], "--proxmox-type"), (["--docker-runtime", "lxc"], "--docker-runtime"),
        (["--report-ip", "pve1.lan"], "--report-ip"), (["--report-ip", "10.0.0.1:8006"], "--report-ip"),
        (["--kube-max-pods", "many"], "--kube-max-pods"),
    ])
    func badValuesNameTheFlag(arguments: [String], named: String) {
        do {
            _ = try resolve(arguments)
            Issue.record("accepted \(arguments)")
        } catch {
            #expect("\(error)".contains(named), "\(error)")
        }
    }

    @Test(arguments: [("30s", 30.0), ("1m", 60.0), ("1h2m3s", 3723.0), ("500ms", 0.5), ("45", 45.0)])
    func goDurations(text: String, seconds: Double) {
        #expect(GoDuration.seconds(text) == seconds)
    }

    @Test func binaryExitsWithStatus2OnBadFlagsAndPrintsAReport() async throws {
        let bad = try await ChildProcess.run(FixtureRoot.agentBinary, ["--interval", "whenever"], mergingErrors: true)
        #expect(bad.status == 2)
        #expect(bad.text.contains("--interval"))

        let once = try await ChildProcess.run(FixtureRoot.agentBinary, ["--once", "--host-root", FixtureRoot.debian12VM])
        #expect(once.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: once.output) as? [String: Any])
        #expect((json["host"] as? [String: Any])?["hostname"] as? String == "fixture-host")
        #expect((json["agent"] as? [String: Any])?["type"] as? String == "unified")
    }
}

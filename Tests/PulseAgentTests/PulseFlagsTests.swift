import Foundation
import TestSupport
import Testing

@testable import PulseAgent

/// Pulse v5's agent flags and variables, Go's command-line forms, and options this agent does
/// not know (a warning, never a stop).
@Suite("Pulse v5 flags, Go forms and unknown options")
struct PulseFlagsTests {
    func resolve(
        _ arguments: [String], _ environment: [String: String] = [:], files: [String: String] = [:], defaultTokenFile: String = "/none/token"
    ) throws -> AgentConfiguration {
        try AgentOptions.parse(arguments).resolve(environment: environment, defaultTokenFile: defaultTokenFile) {
            files[$0]
        }
    }

    @Test func goSingleDashAndEqualsForms() throws {
        let configuration = try resolve([
            "-url", "http://pulse.lan:7655", "-interval=45s", "-token=abc", "--enable-host=false", "-enable-proxmox",
            "-proxmox-type=pbs", "--report-ip=192.0.2.7", "-enable-commands=true", "-docker-runtime", "podman", "-tag=a", "-tag", "b",
            "-enable-docker=false", "-disable-docker-update-checks", "-agent-id-file=/var/lib/pulse-agent/agent-id",
        ])
        #expect(configuration.url == "http://pulse.lan:7655" && configuration.intervalSeconds == 45 && configuration.token == "abc")
        #expect(!configuration.enableHost && configuration.enableProxmox && configuration.proxmoxType == .pbs)
        #expect(configuration.reportIP == "192.0.2.7" && configuration.enableCommands && configuration.dockerRuntime == .podman)
        #expect(configuration.tags == ["a", "b"] && configuration.enableDocker == false && !configuration.dockerUpdateChecks)
        #expect(configuration.agentIDFile == "/var/lib/pulse-agent/agent-id")
        let off = try resolve(["--enable-proxmox=false", "--disable-ceph=false", "-insecure=0"], ["PULSE_ENABLE_PROXMOX": "true"])
        #expect(!off.enableProxmox && !off.disableCeph && !off.insecure, "a Go flag set to false wins over the variable")
    }

    @Test func unknownOptionsAreDroppedWithAWarningNamingThemButNotTheirValues() throws {
        let options = try AgentOptions.parse(["stray", "--frobnicate", "s3cret", "--url", "http://a:1", "-future=x", "--no-such-switch"])
        #expect(options.url == "http://a:1")
        #expect(options.warnings.count == 4, "\(options.warnings)")
        #expect(options.warnings[0].contains("--frobnicate") && options.warnings[1].contains("-future"))
        #expect(options.warnings[2].contains("--no-such-switch") && options.warnings[3].contains("options only"))
        #expect(!options.warnings.joined().contains("s3cret") && !options.warnings.joined().contains("stray"))
        #expect(!options.warnings.joined().contains("x'"), "an inline value is not shown either")
    }

    @Test func helpListsEveryOptionAndSaysCommandsAreIgnored() {
        let help = PulseAgentCommand.helpMessage()
        for spec in AgentOptions.specs where !spec.hidden {
            #expect(help.contains(spec.name + " ") || help.contains(spec.name + "\n"), "\(spec.name)")
        }
        #expect(AgentOptions.specs.count > 35)
        #expect(help.contains("no remote command channel"))
    }

    @Test func eachNewVariable() throws {
        let configuration = try resolve(
            [],
            [
                "PULSE_AGENT_ID_FILE": "/data/agent-id", "PULSE_ENABLE_PROXMOX": "1", "PULSE_PROXMOX_TYPE": "PVE",
                "PULSE_ENABLE_COMMANDS": "true", "PULSE_DISABLE_DOCKER_UPDATE_CHECKS": "true", "PULSE_DOCKER_RUNTIME": "docker",
                "PULSE_REPORT_IP": "fd00::5", "PULSE_KUBE_INCLUDE_ALL_POD_FILES": "true",
            ])
        #expect(configuration.agentIDFile == "/data/agent-id" && configuration.enableProxmox && configuration.proxmoxType == .pve)
        #expect(configuration.enableCommands && !configuration.dockerUpdateChecks && configuration.dockerRuntime == .docker)
        #expect(configuration.reportIP == "fd00::5" && configuration.kubeSelection.includeAllPods)
        // The deprecated PULSE_DISABLE_COMMANDS=false meant "on"; --disable-commands is accepted and changes nothing.
        #expect(try resolve([], ["PULSE_DISABLE_COMMANDS": "false"]).enableCommands)
        #expect(try !resolve(["--disable-commands"], ["PULSE_DISABLE_COMMANDS": "false"]).enableCommands)
        #expect(try resolve([]).dockerUpdateChecks && resolve([]).dockerRuntime == .auto && !resolve([]).enableCommands)
    }

    @Test func theTokenFallsBackToTheInstallersFile() throws {
        let files = ["/state/token": " from-file\n", "/etc/pulse/token": "named"]
        #expect(try resolve([], files: files, defaultTokenFile: "/state/token").token == "from-file")
        #expect(try resolve([], ["PULSE_TOKEN": "env"], files: files, defaultTokenFile: "/state/token").token == "env")
        #expect(try resolve(["--token-file", "/etc/pulse/token"], files: files, defaultTokenFile: "/state/token").token == "named")
        #expect(try resolve([], files: files, defaultTokenFile: "/missing").token == nil)
        #expect(AgentConfiguration.defaultTokenFile == "/var/lib/pulse-agent/token")
    }

    @Test func theAgentIDFileIsWrittenOnceAndKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-id-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state/agent-id").path
        let first = try PulseAgentCommand.agentID(kept: path)
        #expect(first.count == 32 && first.allSatisfy(\.isHexDigit))
        #expect(try PulseAgentCommand.agentID(kept: path) == first)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func theDockerRuntimeChoosesTheSocket() {
        let environment = ["DOCKER_HOST": "unix:///srv/engine.sock"]
        let docker = PulseAgentCommand.dockerSocketCandidates(.docker, environment: environment)
        let podman = PulseAgentCommand.dockerSocketCandidates(.podman, environment: environment)
        #expect(docker.first == "/srv/engine.sock" && docker.dropFirst().allSatisfy { $0.hasSuffix("/docker.sock") } && docker.count == 3)
        #expect(podman.first == "/srv/engine.sock" && podman.dropFirst().allSatisfy { $0.hasSuffix("/podman.sock") } && podman.count == 3)
        #expect(PulseAgentCommand.dockerSocketCandidates(.auto, environment: environment).count == 5)
    }

    @Test func theBinaryWarnsAboutAnUnknownOptionAndRuns() async throws {
        let run = try await ChildProcess.run(
            FixtureRoot.agentBinary, ["--once", "--host-root", FixtureRoot.debian12VM, "--some-future-flag", "value", "-report-ip=192.0.2.9"],
            mergingErrors: true)
        #expect(run.status == 0, "\(run.text)")
        #expect(run.text.contains("warning: ignoring unknown option '--some-future-flag'"))
        #expect(run.text.contains("reportIp") && run.text.contains("192.0.2.9"))
    }
}

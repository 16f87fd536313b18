import Foundation
import Glibc
import TestSupport
import Testing

@testable import PulseAgent

/// The start lines Pulse v5's installer (`scripts/install.sh`) writes run this agent unchanged
/// and it reports: the systemd unit's `ExecStart=` (token in `/var/lib/pulse-agent/token`, given
/// here through `PULSE_TOKEN` so the test does not touch the machine) and OpenRC's `command_args`.
@Suite("Pulse installer start lines", .serialized)
struct InstallerStartLineTests {
    /// Splits a command line into words as a POSIX shell does without expansions (and as
    /// systemd splits `ExecStart=`): blanks separate, single quotes keep everything, double
    /// quotes keep all but `\"` and `\\`, a backslash outside quotes escapes the next character.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if quote == "'" {
                if character == "'" { quote = nil } else { current.append(character) }
            } else if quote == "\"" {
                if character == "\"" { quote = nil } else if character == "\\" { escaped = true } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    @Test func theSplitterFollowsShellQuoting() {
        #expect(Self.words(#"a 'b c' "d \"e\"" f\ g  '' x"#) == ["a", "b c", #"d "e""#, "f g", "", "x"])
    }

    /// Runs `arguments` as the service manager would and waits for the host `hostname` to report.
    static func runUntilReported(_ arguments: [String], hostname: String, server: LiveServer, environment: [String: String]) async throws
        -> String
    {
        let log = server.work.appendingPathComponent("agent-\(hostname).log")
        let state = server.work.appendingPathComponent("state-\(hostname)")
        let agent = try server.processes.start(
            FixtureRoot.agentBinary, arguments, log: log,
            environment: ["PULSE_BUFFER_DIR": state.path, "PULSE_HEALTH_ADDR": "off"].merging(environment) { $1 })
        let reported = try await EndToEndTests.eventually(20) {
            await server.objects("hosts").contains { $0["hostname"] as? String == hostname } || !agent.isRunning
        }
        #expect(reported && agent.isRunning, "the agent exited or did not report: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        agent.terminate()
        try await ChildProcess.waitForExit(agent)
        #expect(agent.terminationStatus == 0)
        return (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    @Test func systemdUnitLine() async throws {
        let server = try await LiveServer(token: String(repeating: "5d", count: 32))
        // What install.sh writes for: --url … --token … --enable-proxmox --proxmox-type pve --insecure
        // --enable-commands --disable-docker --hostname … --disk-exclude '/mnt/backup*'
        let unit = """
            [Service]
            Type=simple
            ExecStart=/usr/local/bin/pulse-agent --url \(server.url) --interval 30s --enable-host --enable-docker=false --enable-proxmox --proxmox-type pve --insecure --enable-commands --hostname systemd-host --disk-exclude '/mnt/backup*'
            Restart=always
            """
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let words = Self.words(String(line.dropFirst("ExecStart=".count)))
        #expect(words.first == "/usr/local/bin/pulse-agent" && words.last == "/mnt/backup*")
        let log = try await Self.runUntilReported(
            Array(words.dropFirst()), hostname: "systemd-host", server: server, environment: ["PULSE_TOKEN": server.token])
        #expect(log.contains("--enable-commands: this server has no remote command channel"))
        #expect(log.contains("Proxmox setup failed") && log.contains("pveum is not on PATH"), "\(log)")
        try await server.stop()
    }

    @Test func openRCCommandArgs() async throws {
        let server = try await LiveServer(token: String(repeating: "6e", count: 32))
        let script = """
            #!/sbin/openrc-run
            name="pulse-agent"
            command="/usr/local/bin/pulse-agent"
            command_args="--url \(server.url) --token \(server.token) --interval 30s --enable-host --enable-docker=false --enable-proxmox --proxmox-type pve --insecure --enable-commands --kube-include-all-pods --agent-id openrc-agent-1 --hostname openrc-host --disk-exclude '/mnt/backup*'"
            command_background="yes"
            """
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("command_args=") })
        let value = try #require(Self.words(String(line.dropFirst("command_args=".count))).first)
        let arguments = Self.words(value)
        #expect(arguments.contains("--token") && arguments.last == "/mnt/backup*")
        _ = try await Self.runUntilReported(arguments, hostname: "openrc-host", server: server, environment: [:])
        let host = try #require(await server.objects("hosts").first { $0["hostname"] as? String == "openrc-host" })
        #expect(host["agentId"] as? String == "openrc-agent-1")
        try await server.stop()
    }
}

import CurlHTTP
import Foundation
import Glibc
import TestSupport
import Testing

@testable import PulseAgent

/// `--enable-proxmox` with stand-in `pvesh`, `pveum` and `proxmox-backup-manager` first on PATH
/// (each records its argv; none touches the machine), against a real server and a host agent
/// token (`host-agent:report` only): the first run creates the user, ACL and token and
/// registers the node; a restart runs nothing and sends nothing; a lost secret rotates the token.
@Suite("Proxmox mode", .serialized)
struct ProxmoxModeTests {
    /// A folder of stand-ins. `token add` / `generate-token` fail while a token exists (as the
    /// real tools do), print `{"value": …}` with a new secret otherwise.
    final class StandIns {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("proxmox-stand-ins-\(UUID().uuidString)")

        /// `products`: whose tools to provide (PVE: `pvesh` and `pveum`).
        init(_ products: [ProxmoxProduct]) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let dir = folder.path
            func tool(_ name: String, add: String, remove: String) throws {
                let script = """
                    #!/bin/bash
                    printf '%s\\n' "$*" >> \(dir)/\(name).log
                    case "$*" in
                    "\(add) "*)
                        [ -e \(dir)/\(name).token ] && { echo "token already exists" >&2; exit 255; }
                        : > \(dir)/\(name).token
                        echo x >> \(dir)/\(name).made
                        n=$(wc -l < \(dir)/\(name).made)
                        v="0e1f2a3b-0000-4000-8000-00000000000$n"
                        [ -e \(dir)/secret ] && v=$(cat \(dir)/secret)
                        echo '{"tokenid":"x","value":"'"$v"'"}' ;;
                    "\(remove) "*) rm -f \(dir)/\(name).token ;;
                    esac
                    exit 0

                    """
                let path = folder.appendingPathComponent(name).path
                try script.write(toFile: path, atomically: true, encoding: .utf8)
                chmod(path, 0o755)
            }
            if products.contains(.pve) {
                try tool("pveum", add: "user token add", remove: "user token remove")
                try tool("pvesh", add: "never", remove: "never")
            }
            if products.contains(.pbs) { try tool("proxmox-backup-manager", add: "user generate-token", remove: "user delete-token") }
        }

        func calls(_ name: String) -> [String] {
            ((try? String(contentsOf: folder.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    /// A token with `host-agent:report` only, minted by the admin.
    static func agentToken(_ server: LiveServer) async throws -> URL {
        let minted = try await server.client.post(
            server.url + "/api/security/tokens", headers: ["X-API-Token: \(server.token)", "Content-Type: application/json"],
            body: Array(#"{"name":"proxmox-agent","scopes":["host-agent:report"]}"#.utf8))
        let token = try #require((try JSONSerialization.jsonObject(with: Data(minted.body)) as? [String: Any])?["token"] as? String)
        let file = server.work.appendingPathComponent("agent-token")
        try token.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func instances(_ server: LiveServer) async -> [[String: Any]] {
        guard let reply = try? await server.client.get(server.url + "/api/config/nodes", headers: ["X-API-Token: \(server.token)"]) else { return [] }
        return (try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [[String: Any]]) ?? []
    }

    /// Runs the agent until `logLine` appears in its log; returns the log.
    static func run(
        _ server: LiveServer, standIns: StandIns, tokenFile: URL, state: URL, hostname: String = "pve-test.invalid", extra: [String] = [],
        until logLine: String, name: String
    ) async throws -> String {
        let log = server.work.appendingPathComponent("agent-\(name).log")
        let agent = try server.processes.start(
            FixtureRoot.agentBinary,
            [
                "--url", server.url, "--token-file", tokenFile.path, "--interval", "1s", "--hostname", hostname, "--enable-proxmox",
                "--no-enable-docker", "--health-addr", "off", "--buffer-dir", state.path,
            ] + extra,
            log: log, environment: ["PATH": standIns.folder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        func text() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        let done = try await EndToEndTests.eventually(30) { text().contains(logLine) || !agent.isRunning }
        #expect(done && agent.isRunning, "\(text())")
        agent.terminate()
        try await ChildProcess.waitForExit(agent)
        return text()
    }

    @Test func pveNodeIsSetUpOnceRegisteredAndKeptAcrossRestarts() async throws {
        let server = try await LiveServer(token: String(repeating: "7f", count: 32))
        let standIns = try StandIns([.pve])
        let tokenFile = try await Self.agentToken(server)
        let state = server.work.appendingPathComponent("state")

        // First run: detected as PVE (pvesh), user + ACL + token, then registered.
        let first = try await Self.run(server, standIns: standIns, tokenFile: tokenFile, state: state, until: "Proxmox node registered", name: "1")
        #expect(!first.contains("0e1f2a3b"), "the secret is never logged")
        #expect(
            standIns.calls("pveum") == [
                "user add pulse-monitor@pam --comment Pulse monitoring (read-only)", "aclmod / -user pulse-monitor@pam -role PVEAuditor",
                "user token add pulse-monitor@pam pulse-pve-test-invalid --privsep 0 --output-format json",
            ])
        let instance = try #require(await Self.instances(server).first)
        #expect(instance["type"] as? String == "pve" && instance["host"] as? String == "https://pve-test.invalid:8006")
        #expect(instance["tokenName"] as? String == "pulse-monitor@pam!pulse-pve-test-invalid" && instance["name"] as? String == "pve-test.invalid")
        let secretFile = state.appendingPathComponent("proxmox-pve-token").path
        #expect(PrivateFile.read(secretFile) == "0e1f2a3b-0000-4000-8000-000000000001")
        #expect(try FileManager.default.attributesOfItem(atPath: secretFile)[.posixPermissions] as? Int == 0o600)
        #expect(await server.objects("hosts").contains { $0["hostname"] as? String == "pve-test.invalid" }, "it keeps reporting as a host agent")

        // Restart: nothing run, nothing registered again.
        _ = try await Self.run(server, standIns: standIns, tokenFile: tokenFile, state: state, until: "Proxmox node already registered", name: "2")
        #expect(standIns.calls("pveum").count == 3)
        #expect(await Self.instances(server).count == 1)

        // The secret is lost: the token is replaced (remove, add) and the node updated in place.
        try FileManager.default.removeItem(atPath: secretFile)
        _ = try await Self.run(server, standIns: standIns, tokenFile: tokenFile, state: state, until: "Proxmox node registered", name: "3")
        #expect(
            Array(standIns.calls("pveum").suffix(3)) == [
                "user token add pulse-monitor@pam pulse-pve-test-invalid --privsep 0 --output-format json",
                "user token remove pulse-monitor@pam pulse-pve-test-invalid",
                "user token add pulse-monitor@pam pulse-pve-test-invalid --privsep 0 --output-format json",
            ])
        #expect(PrivateFile.read(secretFile) == "0e1f2a3b-0000-4000-8000-000000000002")
        #expect(await Self.instances(server).count == 1)
        try await server.stop()
    }

    @Test func pbsUsesProxmoxBackupManager() async throws {
        let server = try await LiveServer(token: String(repeating: "8a", count: 32))
        // Both installed (PBS on a PVE host is common): --proxmox-type pbs sets up PBS only.
        let standIns = try StandIns([.pve, .pbs])
        let tokenFile = try await Self.agentToken(server)
        let state = server.work.appendingPathComponent("state")
        _ = try await Self.run(
            server, standIns: standIns, tokenFile: tokenFile, state: state, extra: ["--proxmox-type", "pbs"], until: "Proxmox node registered",
            name: "pbs")
        #expect(
            standIns.calls("proxmox-backup-manager") == [
                "user create pulse-monitor@pbs", "acl update / Audit --auth-id pulse-monitor@pbs",
                "user generate-token pulse-monitor@pbs pulse-pve-test-invalid --output-format json",
                "acl update / Audit --auth-id pulse-monitor@pbs!pulse-pve-test-invalid",
            ])
        #expect(standIns.calls("pveum").isEmpty)
        let instance = try #require(await Self.instances(server).first)
        #expect(instance["type"] as? String == "pbs" && instance["host"] as? String == "https://pve-test.invalid:8007")
        try await server.stop()
    }

    /// The server polls the node the agent registered (a fakepve node `pve1` on 127.0.0.2:8006,
    /// PVE's port, accepting the token the stand-in `pveum` hands out) and links the host agent
    /// reporting as `pve1` to it: one machine, both views.
    @Test func theHostAgentLinksToTheNodeItRegistered() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv = try await ChildProcess.run("/bin/bash", [repository.appendingPathComponent("scripts/fakepve-venv.sh").path])
        try #require(venv.status == 0, "scripts/fakepve-venv.sh failed: \(venv.text)")
        let server = try await LiveServer(token: String(repeating: "9b", count: 32))
        let standIns = try StandIns([.pve])
        let peerFolder = server.work.appendingPathComponent("fakepve")
        try FileManager.default.createDirectory(at: peerFolder, withIntermediateDirectories: true)
        let peer = Process()
        peer.executableURL = URL(fileURLWithPath: venv.text.trimmingCharacters(in: .whitespacesAndNewlines))
        peer.arguments = [
            repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools/pve-peer.py").path, peerFolder.path, "--nodes", "1",
            "--guests", "1", "--host", "127.0.0.2", "--port", "8006", "--extra-token", "pulse-monitor@pam!pulse-pve1",
        ]
        let input = Pipe()
        let output = Pipe()
        peer.standardInput = input
        peer.standardOutput = output
        peer.standardError = FileHandle.nullDevice
        try peer.run()
        server.processes.running.append(peer)
        let reader = output.fileHandleForReading
        let line = try await BlockingThread.run {
            var bytes: [UInt8] = []
            while let byte = try reader.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
            return bytes
        }
        let details = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], "fakepve did not start")
        let secret = try #require(details["tokenSecret"] as? String)
        try secret.write(to: standIns.folder.appendingPathComponent("secret"), atomically: true, encoding: .utf8)

        let tokenFile = try await Self.agentToken(server)
        _ = try await Self.run(
            server, standIns: standIns, tokenFile: tokenFile, state: server.work.appendingPathComponent("state"), hostname: "pve1",
            extra: ["--report-ip", "127.0.0.2"], until: "Proxmox node registered", name: "link")
        #expect(await Self.instances(server).first?["host"] as? String == "https://127.0.0.2:8006")
        var linked: (host: [String: Any], node: [String: Any])?
        let found = try await EndToEndTests.eventually(60) {
            guard let state = await server.state(), let hosts = state["hosts"] as? [[String: Any]], let nodes = state["nodes"] as? [[String: Any]],
                let host = hosts.first(where: { $0["hostname"] as? String == "pve1" }),
                let node = nodes.first(where: { $0["node"] as? String == "pve1" }), host["linkedNodeId"] != nil
            else { return false }
            linked = (host, node)
            return true
        }
        #expect(found, "the node was polled and linked to the host agent")
        #expect(linked.map { $0.host["linkedNodeId"] as? String == $0.node["id"] as? String } == true)
        #expect(linked.map { $0.node["linkedHostAgentId"] as? String == $0.host["id"] as? String } == true)
        try? input.fileHandleForWriting.close()
        try await server.stop()
    }

    @Test(arguments: [
        ("pve1.example.com", "pulse-pve1-example-com"), ("PVE_1", "pulse-pve-1"), ("--;rm -rf /", "pulse-rm-rf"), ("", "pulse-agent"),
    ])
    func tokenNamesAreSlugs(hostname: String, name: String) {
        let account = ProxmoxMonitorAccount(product: .pve, hostname: hostname)
        #expect(account.tokenName == name && ProxmoxMonitorAccount.isTokenName(account.tokenName))
    }

    @Test func aTokenReplyYieldsOnlyAPlausibleSecret() {
        #expect(ProxmoxMonitorAccount.secret(inReply: Array(#"{"full-tokenid":"a","value":"0e1f-2a3b"}"#.utf8)) == "0e1f-2a3b")
        #expect(ProxmoxMonitorAccount.secret(inReply: Array(#"{"value":"a b; c"}"#.utf8)) == nil)
        #expect(ProxmoxMonitorAccount.secret(inReply: Array("no json".utf8)) == nil)
    }
}

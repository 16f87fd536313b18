import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Issue 19, finding 3: the public `GET /api/setup-script` wrote request values into a script
/// an admin runs as root (`host=https://x%0Aid>FILE%0A#` put `id>FILE` on a line of its own).
/// Every hostile value is either refused with a 400 naming its field, or, where a value is
/// legitimately accepted, the generated script runs under bash with stand-ins and no injected
/// command runs. The quoting is also tested on its own, with hostile values that skip validation.
@Suite("Generated scripts and commands run no injected command")
struct GeneratedScriptInjectionTests {
    static let admin = HTTPFields.token(TestServer.adminToken)

    /// Values a validator may rightly accept, in odd but legitimate spellings.
    static let oddButValidHosts = [" PVE1.Lan ", "HTTPS://PVE1.LAN:8006/", "[fd00::1]:8006", "10.0.0.1", "pve1"]

    /// Expects a 400 naming `field`, or runs `script(response)` with the stand-ins and expects no canary.
    static func expectRefusedOrHarmless(
        _ response: TestResponse, field: String, value: String, standIns: ShellStandIns,
        script: (TestResponse) throws -> String?, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let shown = value.debugDescription
        if response.status == .badRequest {
            let body = try response.jsonObject()
            #expect(body["code"] as? String == "invalid_request", "\(shown)", sourceLocation: sourceLocation)
            #expect((body["details"] as? [String: String])?["field"] == field, "\(shown): \(body)", sourceLocation: sourceLocation)
            #expect(body["error"] is String, sourceLocation: sourceLocation)
            return
        }
        #expect(response.status == .ok, "\(shown) answered \(response.status)", sourceLocation: sourceLocation)
        if let text = try script(response) {
            try await standIns.run(text, environment: ["PULSE_SETUP_CODE": "code-123"])
        }
        #expect(!standIns.canaryExists, "\(shown) ran an injected command", sourceLocation: sourceLocation)
    }

    @Test func hostileHostsAndPulseURLsInTheSetupScriptAreRefusedOrInert() async throws {
        let standIns = ShellStandIns()
        try standIns.addProxmoxTools()
        let corpus = HostileInputCorpus(canary: standIns.canary)
        try await TestServer.with { _, client in
            for type in ["pve", "pbs"] {
                for host in corpus.values() + corpus.values(prefix: "https://x") + Self.oddButValidHosts {
                    let uri = "/api/setup-script?type=\(type)&host=\(HostileInputCorpus.queryValue(host))&pulse_url=http://pulse.lan:7655"
                    let response = try await client.execute(uri: uri, method: .get) { $0 }
                    try await Self.expectRefusedOrHarmless(response, field: "host", value: host, standIns: standIns) { $0.text }
                }
            }
            for pulseURL in corpus.values(prefix: "http://pulse.lan") + ["HTTP://Pulse.LAN:7655/", "https://[fd00::2]"] {
                let uri = "/api/setup-script?type=pve&host=pve1.lan&pulse_url=\(HostileInputCorpus.queryValue(pulseURL))"
                let response = try await client.execute(uri: uri, method: .get) { $0 }
                try await Self.expectRefusedOrHarmless(response, field: "pulse_url", value: pulseURL, standIns: standIns) { $0.text }
            }
        }
        // The odd but valid ones were accepted and their scripts ran to the end.
        #expect(standIns.calls("curl").count == 2 * Self.oddButValidHosts.count + 2)
    }

    @Test func hostileHostsForSetupURLsAutoRegistrationAndNodesAreRefusedOrInert() async throws {
        let standIns = ShellStandIns()
        try standIns.add("curl")
        let corpus = HostileInputCorpus(canary: standIns.canary)
        try await TestServer.with { server, client in
            for host in corpus.values() + corpus.values(prefix: "https://x") {
                server.time.advance(by: 61)  // past the per-minute limit on configuration writes
                let issue = HostileInputCorpus.json(["type": "pve", "host": host])
                let issued = try await client.execute(uri: "/api/setup-script-url", method: .post, headers: Self.admin, body: .json(issue)) { $0 }
                // What the admin is told to run is a command too.
                try await Self.expectRefusedOrHarmless(issued, field: "host", value: host, standIns: standIns) {
                    $0.field("command", as: String.self)
                }

                let register = HostileInputCorpus.json([
                    "type": "pve", "host": host, "serverName": "pve1", "tokenId": "pulse-monitor@pam!pulse-1", "tokenValue": "secret",
                ])
                let registered = try await client.execute(uri: "/api/auto-register", method: .post, headers: Self.admin, body: .json(register)) { $0 }
                try await Self.expectRefusedOrHarmless(registered, field: "host", value: host, standIns: standIns) { _ in nil }

                let node = HostileInputCorpus.json(["type": "pve", "host": host, "user": "a@pam", "password": "p"])
                let added = try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(node)) { $0 }
                try await Self.expectRefusedOrHarmless(added, field: "host", value: host, standIns: standIns) { _ in nil }
            }
            for type in corpus.values(prefix: "host") {
                let response = try await client.execute(
                    uri: "/api/agent-install-command", method: .post, headers: Self.admin, body: .json(HostileInputCorpus.json(["type": type]))
                ) { $0 }
                try await Self.expectRefusedOrHarmless(response, field: "type", value: type, standIns: standIns) {
                    $0.field("command", as: String.self)
                }
            }
        }
    }

    @Test func aSetupScriptKeepsHostileValuesLiteralEvenWhenValidationIsSkipped() async throws {
        let standIns = ShellStandIns()
        try standIns.addProxmoxTools()
        let corpus = HostileInputCorpus(canary: standIns.canary)
        for product in [ProxmoxProduct.pve, .pbs] {
            for (host, pulseURL) in zip(corpus.payloads(), corpus.payloads(prefix: "http://pulse.lan")) {
                let script = SetupScript.render(product: product, host: host, pulseURL: pulseURL, backupPermissions: true)
                try await standIns.run(script, environment: ["PULSE_SETUP_CODE": "code-123"])
                #expect(!standIns.canaryExists, "\(host.debugDescription) ran an injected command")
                let target = standIns.calls("curl").last?.last
                #expect(target == pulseURL.replacingOccurrences(of: "\0", with: "") + "/api/auto-register", "\(pulseURL.debugDescription)")
            }
        }
    }

    @Test func anInstallCommandKeepsHostileValuesLiteralEvenWhenValidationIsSkipped() async throws {
        let standIns = ShellStandIns()
        try standIns.addInstallTools()
        let corpus = HostileInputCorpus(canary: standIns.canary)
        let token = String(repeating: "c4", count: 32)
        for url in corpus.payloads(prefix: "http://pulse.lan:7655") {
            let key = "key'$(touch \(standIns.canary))'"
            let command = AgentInstallCommand.render(serverURL: url, token: token, signingKey: key, flags: ["--enable-docker"])
            try await standIns.run(command)
            #expect(!standIns.canaryExists, "\(url.debugDescription) ran an injected command")
            let literal = url.replacingOccurrences(of: "\0", with: "")
            let installer = try #require(standIns.calls("sh").last)
            #expect(Array(installer.dropFirst()) == ["--url", literal, "--token-stdin", "--key", key, "--enable-docker"], "\(url.debugDescription)")
            #expect(standIns.calls("curl").last?.prefix(2) == ["-fsSL", literal + "/install.sh"])
        }
    }

    @Test func theInstallCommandGivesTheTokenThroughStdinNeverAnArgument() async throws {
        let standIns = ShellStandIns()
        try standIns.addInstallTools()
        try await TestServer.with(configure: { $0.publicURL = "http://pulse.lan:7655" }) { server, client in
            let reply = try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: Self.admin, body: .json(#"{"type":"docker"}"#))
            let command = try #require(reply.field("command", as: String.self))
            let token = try #require(reply.field("token", as: String.self))
            #expect(try await standIns.run(command) == 0)
            #expect(standIns.stdin("sh") == token + "\n", "the installer reads the token on stdin")
            #expect(!standIns.allArguments.contains { $0.contains(token) }, "no process (curl, sudo, sh) has the token in its arguments")
            let installer = try #require(standIns.calls("sh").first)
            let key = server.dependencies.agentSigningKey.publicKeyBase64
            #expect(Array(installer.dropFirst()) == ["--url", "http://pulse.lan:7655", "--token-stdin", "--key", key, "--enable-docker"])
            #expect(standIns.calls("sudo").first?.prefix(2) == ["sh", installer[0]])
            #expect(!FileManager.default.fileExists(atPath: installer[0]), "the downloaded installer is removed afterwards")
            #expect(installer[0].hasPrefix(standIns.folder.path + "/tmp."), "it was a mktemp file")
        }
    }

    @Test func proxmoxInstallTokensOnlyReport() async throws {
        try await TestServer.with(configure: { $0.publicURL = "http://pulse:7655" }) { _, client in
            for type in ["pve", "pbs"] {
                let reply = try await client.execute(
                    uri: "/api/agent-install-command", method: .post, headers: Self.admin, body: .json(#"{"type":"\#(type)"}"#))
                #expect(reply.field("scopes", as: [String].self) == ["host-agent:report", "host-agent:config:read"], "\(type)")
                let token = try #require(reply.field("token", as: String.self))
                try await client.execute(uri: "/api/agents/host/some-host", method: .delete, headers: .token(token)) { response in
                    #expect(response.status == .forbidden, "a \(type) install token cannot remove hosts")
                }
                let change = try await client.execute(
                    uri: "/api/agents/host/some-host/config", method: .patch, headers: [.apiToken: token, .contentType: "application/json"],
                    body: .json(#"{"settings":{"interval":"5s"}}"#))
                #expect(change.status == .forbidden, "nor change a host's settings")
            }
        }
    }

    @Test func hostAddressesNormaliseOrNameTheirField() throws {
        let accepted: [(String, String)] = [
            ("pve1.lan", "pve1.lan"), (" PVE1.Lan ", "pve1.lan"), ("pve1.lan:8006", "pve1.lan:8006"),
            ("HTTPS://PVE1.LAN:8006/", "https://pve1.lan:8006"), ("http://10.0.0.1", "http://10.0.0.1"),
            ("[FD00::1]:8006", "[fd00::1]:8006"), ("https://[::ffff:10.0.0.1]", "https://[::ffff:10.0.0.1]"),
            ("a-b.c-d.example", "a-b.c-d.example"),
        ]
        for (raw, normalised) in accepted {
            #expect(try HostAddress.parse(raw, field: "host").description == normalised, "\(raw)")
        }
        let refused = [
            "", "   ", "fd00::1", "[fd00::1%eth0]", "[zz::1]", "300.1.1.1", "1.2.3", "-pve.lan", "pve-.lan", "pve..lan",
            "pve_1.lan", "ftp://pve.lan", "https://user@pve.lan", "https://pve.lan/path", "https://pve.lan?q", "https://pve.lan#f",
            "pve.lan:0", "pve.lan:65536", "pve.lan:80a", "pve.lan:", "pve.lan\n", "pvé.lan", "https://https://pve.lan",
            String(repeating: "a", count: 64) + ".lan",
        ]
        for raw in refused {
            #expect(throws: InvalidField.self, "\(raw.debugDescription)") { try HostAddress.parse(raw, field: "host") }
            do {
                _ = try HostAddress.parse(raw, field: "pulse_url")
            } catch {
                #expect(error.field == "pulse_url")
            }
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Auto-registration: one-time setup codes (hashed, 5 minutes, bound to type and host), the
/// setup script, and the call back that adds the host.
@Suite("Proxmox auto-registration")
struct AutoRegistrationTests {
    static let admin = HTTPFields.token(TestServer.adminToken)

    static func issueCode(_ client: any TestClientProtocol, host: String = "https://pve1.lan:8006") async throws -> [String: Any] {
        try await client.execute(
            uri: "/api/setup-script-url", method: .post, headers: admin,
            body: .json(#"{"type":"pve","host":"\#(host)","backupPerms":true}"#)
        ) { response in
            #expect(response.status == .ok)
            return try response.jsonObject()
        }
    }

    static func register(_ client: any TestClientProtocol, code: String?, host: String = "https://pve1.lan:8006", headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        let codeField = code.map { #","setupCode":"\#($0)""# } ?? ""
        let body =
            #"{"type":"pve","host":"\#(host)","serverName":"pve1","tokenId":"pulse-monitor@pam!pulse-1","tokenValue":"s3cret-token"\#(codeField)}"#
        return try await client.execute(uri: "/api/auto-register", method: .post, headers: headers, body: .json(body)) { $0 }
    }

    @Test func aCodeRegistersItsHostOnceAndTheSecretStaysOutOfURLs() async throws {
        try await TestServer.with(configure: { $0.publicURL = "http://pulse.lan:7655" }) { server, client in
            let issued = try await Self.issueCode(client)
            let code = try #require(issued["setupToken"] as? String)
            let url = try #require(issued["url"] as? String)
            #expect(code.count == 32 && !url.contains(code) && !(issued["command"] as? String ?? "").contains(code))
            #expect(url.hasPrefix("http://pulse.lan:7655/api/setup-script?type=pve&host=https://pve1.lan:8006"))
            #expect((issued["expires"] as? Int).map { $0 == Int(server.time.now().timeIntervalSince1970) + 300 } == true)

            let reply = try await Self.register(client, code: code)
            #expect(reply.status == .ok, "\(reply.text)")
            let stored = try #require(await server.dependencies.proxmoxInstances.all().first)
            #expect(stored.instance.name == "pve1" && stored.instance.tokenName == "pulse-monitor@pam!pulse-1")
            #expect(stored.credentials.tokenValue == "s3cret-token" && stored.instance.host == "https://pve1.lan:8006")

            let again = try await Self.register(client, code: code)
            #expect(again.status == .unauthorized, "a code works once")
        }
    }

    @Test func aCodeForAnotherHostAnExpiredCodeOrNoCodeAreRefused() async throws {
        try await TestServer.with { server, client in
            let code = try #require(try await Self.issueCode(client)["setupToken"] as? String)
            #expect(try await Self.register(client, code: code, host: "https://other.lan:8006").status == .unauthorized)
            server.time.advance(by: 301)
            #expect(try await Self.register(client, code: code).status == .unauthorized, "expired after 5 minutes")
            #expect(try await Self.register(client, code: nil).status == .unauthorized)
            try await client.execute(
                uri: "/api/setup-script-url", method: .post, headers: Self.admin, body: .json(#"{"type":"pmg","host":"pmg.lan"}"#)
            ) { response in
                #expect(response.status == .badRequest, "PMG has no API tokens to register with")
            }
            let reader = try await server.token(scopes: ["settings:read"])
            #expect(try await Self.register(client, code: nil, headers: .token(reader)).status == .forbidden)
            #expect(try await Self.register(client, code: nil, headers: Self.admin).status == .ok, "a settings:write token may register directly")
            #expect(await server.dependencies.proxmoxInstances.all().count == 1)
        }
    }

    @Test func theScriptCreatesAReadOnlyTokenAndSendsItWithTheCodeThroughStdin() async throws {
        try await TestServer.with { _, client in
            let script = try await client.execute(
                uri: "/api/setup-script?type=pve&host=pve1.lan&pulse_url=http://pulse.lan:7655&backup_perms=true", method: .get
            ) { response in
                #expect(response.status == .ok)
                return response.text
            }
            #expect(script.contains("HOST='https://pve1.lan:8006'") && script.contains("PVEAuditor") && script.contains("PVEDatastoreAdmin"))
            try await client.execute(uri: "/api/setup-script?type=pve&host=pve1.lan&pulse_url=http://x';reboot;'", method: .get) { response in
                #expect(response.status == .badRequest, "a pulse_url that could break out of its quotes is refused")
            }

            // Run it with stand-ins for pveum and curl on PATH (no PVE here): the token pveum
            // prints and the code reach curl's stdin, never its arguments.
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            func tool(_ name: String, _ body: String) throws {
                let path = folder.appendingPathComponent(name).path
                try ("#!/bin/bash\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
                chmod(path, 0o755)
            }
            try tool(
                "pveum",
                #"echo "$*" >> "$STUB_DIR/pveum.log"; [ "$1 $2 $3" = "user token add" ] && echo '{"full-tokenid":"x","value":"tok-from-pveum"}'; exit 0"#
            )
            try tool("curl", #"echo "$*" > "$STUB_DIR/curl.args"; cat > "$STUB_DIR/curl.body""#)
            try tool("id", "echo 0")
            try script.write(to: folder.appendingPathComponent("setup.sh"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [folder.appendingPathComponent("setup.sh").path]
            process.environment = ["PATH": "\(folder.path):/usr/bin:/bin", "STUB_DIR": folder.path, "PULSE_SETUP_CODE": "code-123"]
            try process.run()
            try await ChildProcess.waitForExit(process)
            #expect(process.terminationStatus == 0)
            let body = try String(contentsOf: folder.appendingPathComponent("curl.body"), encoding: .utf8)
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
            #expect(sent["tokenValue"] == "tok-from-pveum" && sent["setupCode"] == "code-123" && sent["host"] == "https://pve1.lan:8006")
            #expect(sent["tokenId"]?.hasPrefix("pulse-monitor@pam!pulse-") == true)
            let arguments = try String(contentsOf: folder.appendingPathComponent("curl.args"), encoding: .utf8)
            #expect(
                arguments.contains("http://pulse.lan:7655/api/auto-register") && !arguments.contains("tok-from-pveum")
                    && !arguments.contains("code-123"))
            let pveum = try String(contentsOf: folder.appendingPathComponent("pveum.log"), encoding: .utf8)
            #expect(pveum.contains("aclmod / -user pulse-monitor@pam -role PVEAuditor"))
        }
    }

    @Test func aRegisteredHostKeepsVerificationOnWithTheCertificateItPresentedPinned() async throws {
        try await PBSPMGFixture.with { fixture in
            try await TestServer.with { server, client in
                let host = fixture.info.pbs.url
                let code = try await client.execute(
                    uri: "/api/setup-script-url", method: .post, headers: Self.admin, body: .json(#"{"type":"pbs","host":"\#(host)"}"#)
                ) { try #require(try $0.jsonObject()["setupToken"] as? String) }
                let body =
                    #"{"type":"pbs","host":"\#(host)","serverName":"backup","tokenId":"\#(fixture.info.pbs.tokenId)","tokenValue":"\#(fixture.info.pbs.tokenSecret)","setupCode":"\#(code)"}"#
                try await client.execute(uri: "/api/auto-register", method: .post, body: .json(body)) { #expect($0.status == .ok, "\($0.text)") }
                let stored = try #require(await server.dependencies.proxmoxInstances.all().first)
                #expect(stored.instance.verifySSL && stored.instance.fingerprint == fixture.info.pbs.fingerprint)
            }
        }
    }
}

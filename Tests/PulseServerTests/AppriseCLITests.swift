import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Security finding 1: a `settings:write` token once ran shell commands through the Apprise
/// `cliPath` (handed to `/usr/bin/env`, whose `-S` splits it into a command line). The program is
/// now the operator's choice alone and runs with an argv array and a time limit.
@Suite("Apprise CLI: chosen by the operator, run without a shell")
struct AppriseCLITests {
    /// A folder with a stand-in `apprise` that records each argument on a line of its own and
    /// copies the config file it was given.
    struct StandIn {
        let folder: URL
        var program: URL { folder.appendingPathComponent("apprise") }
        var argumentsFile: URL { folder.appendingPathComponent("arguments.txt") }
        var targetsFile: URL { folder.appendingPathComponent("targets.txt") }
        var canary: URL { folder.appendingPathComponent("pwned") }

        init() throws {
            folder = TestServer.temporaryFolder()
            let script = """
                #!/bin/sh
                for argument in "$@"; do printf '%s\\n' "$argument" >> '\(folder.path)/arguments.txt'; done
                for argument in "$@"; do
                    case "$argument" in --config=*) cp "${argument#--config=}" '\(folder.path)/targets.txt' ;; esac
                done
                """
            try script.write(to: program, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        }

        func arguments() -> [String] {
            ((try? String(contentsOf: argumentsFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static let settingsWriter = ["settings:write", "settings:read"]

    @Test func aCliPathSentThroughTheAPIRunsNothing() async throws {
        let standIn = try StandIn()
        defer { try? FileManager.default.removeItem(at: standIn.folder) }
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: Self.settingsWriter)
            // The request that wrote FILE as the server's user before the fix.
            let exploit = """
                {"enabled":true,"mode":"cli","targets":["json://localhost"],"cliPath":"-Ssh -c id>\(standIn.canary.path)"}
                """
            try await client.execute(
                uri: "/api/notifications/apprise", method: .put, headers: [.apiToken: token, .contentType: "application/json"],
                body: ByteBuffer(string: exploit)
            ) { response in
                #expect(response.status == .ok)
                let config = try #require(try response.jsonObject()["config"] as? [String: Any])
                #expect(config["cliPath"] as? String == "apprise", "the operator's choice is shown, not the request's")
            }
            try await client.execute(uri: "/api/notifications/test", method: .post, headers: [.apiToken: token]) { response in
                #expect(response.status == .ok)
            }
            #expect(!FileManager.default.fileExists(atPath: standIn.canary.path), "the request's cliPath must never run")
            let audit = try await client.execute(uri: "/api/security/audit", method: .get, headers: [.apiToken: TestServer.adminToken]) { response in
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]] ?? []
            }
            #expect(audit.contains { ($0["details"] as? String)?.hasPrefix("apprise notifications") == true }, "the change is audited")
        }
    }

    @Test func theOperatorsProgramGetsEachValueAsOneArgument() async throws {
        let standIn = try StandIn()
        defer { try? FileManager.default.removeItem(at: standIn.folder) }
        try await TestServer.with(configure: { $0.appriseCLI = standIn.program.path }) { server, client in
            let token = try await server.token(scopes: Self.settingsWriter)
            let body = #"{"enabled":true,"mode":"cli","targets":["json://localhost/a","tgram://secret-bot-token/123"],"cliPath":"/bin/sh"}"#
            try await client.execute(
                uri: "/api/notifications/apprise", method: .put, headers: [.apiToken: token, .contentType: "application/json"],
                body: ByteBuffer(string: body)
            ) { response in
                let config = try #require(try response.jsonObject()["config"] as? [String: Any])
                #expect(config["cliPath"] as? String == standIn.program.path)
            }
            try await client.execute(uri: "/api/notifications/test", method: .post, headers: [.apiToken: token]) { response in
                #expect(response.status == .ok)
                let delivered = try response.jsonObject()["count"] as? Int
                #expect(delivered == 1, "the stand-in delivered the test notification")
            }
            let arguments = standIn.arguments()
            #expect(arguments.contains { $0.hasPrefix("--title=") })
            let typeGiven = arguments.contains("--notification-type=warning") || arguments.contains("--notification-type=failure")
            #expect(typeGiven)
            #expect(!arguments.joined().contains("secret-bot-token"), "target URLs hold secrets: never in argv")
            let targets = try String(contentsOf: standIn.targetsFile, encoding: .utf8)
            #expect(targets.contains("tgram://secret-bot-token/123"))
        }
    }

    @Test func aStuckProgramIsKilledAndTheDeliveryFails() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("apprise")
        try "#!/bin/sh\nsleep 30\n".write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        var cli = AppriseCLI(configured: program.path, searchPath: "")
        cli.timeout = .milliseconds(300)
        // Unkilled, the stand-in would sleep 30 s and then succeed.
        await #expect(throws: NotificationSender.DeliveryError.self) {
            try await cli.notify(configFile: "/dev/null", type: "info", title: "t", body: "b")
        }
    }

    @Test func aMissingProgramIsADeliveryErrorNotACrash() async throws {
        let cli = AppriseCLI(configured: "no-such-apprise-program", searchPath: "/usr/bin:/bin")
        #expect(cli.path == nil)
        await #expect(throws: NotificationSender.DeliveryError.self) {
            try await cli.notify(configFile: "/dev/null", type: "info", title: "t", body: "b")
        }
    }

    @Test func aRelativePathForTheCLIIsRefusedAtStart() throws {
        var configuration = ServerConfiguration()
        configuration.appriseCLI = "bin/apprise"
        #expect(configuration.validationProblems().contains { $0.contains("PULSE_APPRISE_CLI") })
    }
}

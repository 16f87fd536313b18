import Foundation
import Synchronization
import Testing

@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// A recovery token, a validated token and a regenerated token appear in the one reply that
/// issues them and nowhere else: not in the trace-level log, the audit log, or any other reply.
@Suite("Recovery and token secrets stay out of logs and replies")
struct RecoverySecretsTests {
    @Test(.timeLimit(.minutes(5)))
    func noSecretIsLoggedAuditedOrEchoed() async throws {
        let logs = NginxProxyAuthTests.LogLines()
        let collected = Mutex<(secrets: [String], replies: [String])>(([], []))
        try await RecoveryTests.live(logHandler: logs) { server, port in
            let admin = ["X-API-Token": TestServer.adminToken]
            let issued = try await RecoveryTests.recovery("generate_token", port: port)
            let recoveryToken = try #require(issued.field("token", as: String.self))
            let disabled = try await RecoveryTests.recovery("disable_auth", port: port, headers: ["X-Recovery-Token": recoveryToken])
            let reused = try await RecoveryTests.recovery("disable_auth", port: port, token: recoveryToken)
            let status = try await LocalHTTP.send("GET", "/api/security/recovery", port: port)
            let enabled = try await RecoveryTests.recovery("enable_auth", port: port)

            let checked = try await server.token(scopes: ["monitoring:read"])
            let validated = try await LocalHTTP.send(
                "POST", "/api/security/validate-token", port: port, headers: admin, body: #"{"token":"\#(checked)"}"#)
            let guessed = String(repeating: "7", count: 64)
            let invalid = try await LocalHTTP.send(
                "POST", "/api/security/validate-token", port: port, headers: admin, body: #"{"token":"\#(guessed)"}"#)
            let regenerated = try await LocalHTTP.send("POST", "/api/security/regenerate-token", port: port, headers: admin)
            let newToken = try #require(regenerated.field("token", as: String.self))
            let audit = try await LocalHTTP.send("GET", "/api/security/audit?limit=1000", port: port, headers: ["X-API-Token": newToken])
            #expect(audit.status == 200 && audit.body.contains("recovery_auth_disable") && audit.body.contains("token_regenerate"))

            #expect(disabled.status == 200 && reused.status == 401 && enabled.status == 200 && validated.status == 200 && invalid.status == 200)
            let stored = "\(try server.dependencies.audit.recent(limit: 1000))"
            collected.withLock {
                $0.secrets = [recoveryToken, checked, guessed, newToken]
                $0.replies = [disabled, reused, status, enabled, validated, invalid, audit].map { $0.head + $0.body } + [stored]
            }
        }
        let (secrets, otherReplies) = collected.withLock { $0 }
        let lines = logs.lines.withLock { $0 }
        #expect(lines.count > 10, "the server logged at trace level: \(lines.count) lines")
        #expect(lines.contains { $0.contains("recovery_auth_disable") }, "the steps are in the log as audit events")
        for secret in secrets {
            #expect(lines.allSatisfy { !$0.contains(secret) }, "a secret is in the log")
            #expect(otherReplies.allSatisfy { !$0.contains(secret) }, "a secret is in a reply or the audit log")
        }
    }
}

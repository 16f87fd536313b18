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

/// Security finding 2: a `settings:write` token called quick-setup after setup, set the admin's
/// password and got a `*` token back. Quick setup now needs the bootstrap token before the first
/// user, and a full admin with `force` after it.
@Suite("Quick setup cannot be used to gain privileges")
struct QuickSetupPrivilegeTests {
    static let takeover = #"{"username":"admin","password":"attacker chosen password","force":true}"#

    func audit(_ client: any TestClientProtocol) async throws -> [String] {
        try await client.execute(uri: "/api/security/audit?limit=1000", method: .get, headers: [.apiToken: TestServer.adminToken]) { response in
            let events = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
            return events?.compactMap { $0["event"] as? String } ?? []
        }
    }

    @Test func aSettingsWriteTokenCannotResetTheAdminOrMintAFullToken() async throws {
        try await SessionSecurityTests.withUser { server, client in
            let writer = try await server.token(scopes: ["settings:write", "settings:read"])
            let tokensBefore = await server.dependencies.tokens.list().count
            let response = try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.apiToken: writer, .contentType: "application/json"],
                body: ByteBuffer(string: Self.takeover))
            #expect(response.status == .forbidden)
            #expect(try response.jsonObject()["code"] as? String == "missing_scope")
            #expect(!response.text.contains("apiToken\":\""), "no token in the reply")
            #expect(try await server.dependencies.users.verify(username: "admin", password: SessionSecurityTests.password))
            #expect(await server.dependencies.tokens.list().count == tokensBefore)
            #expect(try await audit(client).contains("quick_setup"), "the refused attempt is audited")
        }
    }

    @Test func beforeTheFirstUserOnlyTheBootstrapTokenOrAFullAdminMaySetUp() async throws {
        try await TestServer.with { server, client in
            let writer = try await server.token(scopes: ["settings:write"])
            let refused = try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.apiToken: writer, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"admin","password":"attacker chosen password"}"#))
            #expect(refused.status == .forbidden)
            #expect(try server.dependencies.users.hasUsers() == false)
        }
    }

    @Test func afterSetupAFullAdminNeedsForceAndTheUsersSessionsEnd() async throws {
        try await SessionSecurityTests.withUser { server, client in
            let login = try await SessionSecurityTests.loggedIn(client)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: login.cookie).status == .ok)

            let withoutForce = try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.apiToken: TestServer.adminToken, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"admin","password":"a brand new password"}"#))
            #expect(withoutForce.status == .conflict)
            #expect(try withoutForce.jsonObject()["code"] as? String == "already_configured")
            #expect(try await server.dependencies.users.verify(username: "admin", password: SessionSecurityTests.password))

            let forced = try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.apiToken: TestServer.adminToken, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"admin","password":"a brand new password","force":true}"#))
            #expect(forced.status == .ok)
            #expect(try await server.dependencies.users.verify(username: "admin", password: "a brand new password"))
            #expect(
                try await client.execute(uri: "/api/state", method: .get, headers: login.cookie).status == .unauthorized,
                "the old session ended with the password change")
            let events = try await audit(client)
            #expect(events.contains("quick_setup") && events.contains("password_change"))
        }
    }

    @Test func theBootstrapTokenIsWorthlessOnceAUserExists() async throws {
        try await TestServer.with { server, client in
            let setupToken = try String(
                contentsOfFile: server.dataDirectory.appendingPathComponent(".bootstrap_token").path, encoding: .utf8
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            try await server.dependencies.users.setPassword("someone set this up", for: "admin", at: server.time.now())
            let response = try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.setupToken: setupToken, .contentType: "application/json"],
                body: ByteBuffer(string: Self.takeover))
            #expect(response.status == .unauthorized)
            #expect(try await server.dependencies.users.verify(username: "admin", password: "someone set this up"))
        }
    }
}

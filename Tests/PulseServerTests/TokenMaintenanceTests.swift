import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Persistence
@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// Pulse's single-token maintenance routes: validate-token, regenerate-token, apply-restart.
@Suite("validate-token, regenerate-token and apply-restart")
struct TokenMaintenanceTests {
    static func post(_ client: any TestClientProtocol, _ path: String, headers: HTTPFields, body: String = "{}") async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .post, headers: headers, body: .json(body))
    }

    @Test func validateTokenSaysWhetherATokenIsCurrentWithoutUsingIt() async throws {
        try await TestServer.with { server, client in
            let reader = try await server.dependencies.tokens.create(name: "reader", scopes: [.monitoringRead])
            let admin = HTTPFields.token(TestServer.adminToken)
            let valid = try await Self.post(client, "/api/security/validate-token", headers: admin, body: #"{"token":"\#(reader.raw)"}"#)
            #expect(valid.status == .ok && valid.field("valid", as: Bool.self) == true && valid.field("message", as: String.self) == "Token is valid")
            #expect(await server.dependencies.tokens.list().first { $0.id == reader.record.id }?.lastUsedAt == nil, "a check is not a use")

            let invalid = try await Self.post(
                client, "/api/security/validate-token", headers: admin, body: #"{"token":"\#(String(repeating: "0", count: 64))"}"#)
            #expect(invalid.field("valid", as: Bool.self) == false && invalid.field("message", as: String.self) == "Token is invalid")
            #expect(try await Self.post(client, "/api/security/validate-token", headers: admin, body: #"{"token":""}"#).status == .badRequest)

            let writer = HTTPFields.token(try await server.token(scopes: ["settings:write"]))
            #expect(try await Self.post(client, "/api/security/validate-token", headers: writer, body: #"{"token":"x"}"#).status == .ok)
            let settingsReader = HTTPFields.token(try await server.token(scopes: ["settings:read"]))
            let refused = try await Self.post(client, "/api/security/validate-token", headers: settingsReader, body: #"{"token":"x"}"#)
            #expect(refused.status == .forbidden && refused.field("code", as: String.self) == "missing_scope")
            #expect(!"\(try server.dependencies.audit.recent(limit: 20))".contains(reader.raw))
        }
    }

    @Test func regenerateTokenMintsAWorkingFullAccessTokenAndReplacesOnlyItsOwnPrevious() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            let first = try await Self.post(client, "/api/security/regenerate-token", headers: .token(TestServer.adminToken))
            #expect(first.status == .ok)
            let object = try first.jsonObject()
            #expect(Set(object.keys) == ["success", "token", "deploymentType", "requiresRestart", "message"])
            #expect(object["success"] as? Bool == true && object["requiresRestart"] as? Bool == false)
            #expect(["systemd", "docker", "manual"].contains(object["deploymentType"] as? String ?? ""))
            let token = try #require(object["token"] as? String)
            #expect(token.count == 64 && token.utf8.allSatisfy { $0.isHexDigit })
            #expect(try await client.execute(uri: "/api/security/tokens", method: .get, headers: .token(token)).status == .ok)
            #expect(await server.dependencies.tokens.authenticate(token)?.scopes == [.wildcard])

            // Called with the regenerated token itself: that one is replaced, the rest stay.
            let second = try await Self.post(client, "/api/security/regenerate-token", headers: .token(token))
            let replacement = try #require(second.field("token", as: String.self))
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: .token(token)).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: .token(replacement)).status == .ok)
            #expect(await server.dependencies.tokens.authenticate(TestServer.adminToken) != nil, "API_TOKENS stays")
            #expect(await server.dependencies.tokens.authenticate(agent) != nil, "agents' tokens stay")
            #expect(await server.dependencies.tokens.list().filter { $0.name == TokenRoutes.regeneratedTokenName }.count == 1)
            let audit = "\(try server.dependencies.audit.recent(limit: 20))"
            #expect(audit.contains("token_regenerate") && !audit.contains(token) && !audit.contains(replacement))
        }
    }

    /// `settings:write` is not `*`: a token must never obtain a token with more scopes than it holds.
    @Test func regenerateTokenRefusesAnyoneButAFullAdministrator() async throws {
        try await SessionSecurityTests.withUser { server, client in
            for scopes in [["settings:write"], ["settings:read", "settings:write", "monitoring:read"]] {
                let reply = try await Self.post(client, "/api/security/regenerate-token", headers: .token(try await server.token(scopes: scopes)))
                #expect(reply.status == .forbidden && reply.field("code", as: String.self) == "missing_scope", "\(scopes)")
                #expect(reply.field("token", as: String.self) == nil)
            }
            #expect(try await Self.post(client, "/api/security/regenerate-token", headers: [:]).status == .unauthorized)
            #expect(await server.dependencies.tokens.list().allSatisfy { $0.name != TokenRoutes.regeneratedTokenName })
            let login = try await SessionSecurityTests.loggedIn(client)
            #expect(try await Self.post(client, "/api/security/regenerate-token", headers: login.cookieAndCSRF).status == .ok, "an admin user")
        }
        try await TestServer.live(configure: ProxyAuthenticationTests.configure(trusted: "127.0.0.1")) { _, client in
            for path in ["/api/security/regenerate-token", "/api/security/validate-token", "/api/security/apply-restart"] {
                let viewer = try await client.execute(
                    uri: path, method: .post, headers: ProxyAuthenticationTests.headers(user: "vic", roles: "readers"), body: .json(#"{"token":"x"}"#)
                )
                #expect(viewer.status == .forbidden && viewer.field("code", as: String.self) == "read_only_role", "\(path)")
            }
        }
    }

    @Test func applyRestartSaysNothingNeedsARestart() async throws {
        try await TestServer.with { server, client in
            let reply = try await Self.post(
                client, "/api/security/apply-restart", headers: .token(try await server.token(scopes: ["settings:write"])))
            #expect(reply.status == .ok && reply.field("success", as: Bool.self) == true && reply.field("requiresRestart", as: Bool.self) == false)
            let reader = try await Self.post(
                client, "/api/security/apply-restart", headers: .token(try await server.token(scopes: ["settings:read"])))
            #expect(reader.status == .forbidden)
        }
    }
}

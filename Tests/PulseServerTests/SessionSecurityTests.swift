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

/// Dashboard login: cookies, CSRF, lockout, expiry, logout, password change and the audit log.
@Suite("Login, sessions, CSRF, lockout and the audit log")
struct SessionSecurityTests {
    static let password = "correct horse battery staple"

    static func withUser(_ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Void) async throws {
        try await TestServer.with(
            configure: {
                $0.authUser = "admin"
                $0.authPassword = password
            }, body)
    }

    struct Login {
        let session: String
        let csrf: String
        var cookie: HTTPFields { [.cookie: "pulse_session=\(session); pulse_csrf=\(csrf)"] }
        var cookieAndCSRF: HTTPFields { [.cookie: "pulse_session=\(session)", .csrfToken: csrf] }
    }

    static func login(_ client: any TestClientProtocol, password: String = password, rememberMe: Bool = false) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/login", method: .post, headers: .json,
            body: ByteBuffer(string: AgentPayloads.json(["username": "admin", "password": password, "rememberMe": rememberMe])))
    }

    static func loggedIn(_ client: any TestClientProtocol, rememberMe: Bool = false) async throws -> Login {
        let response = try await login(client, rememberMe: rememberMe)
        try #require(response.status == .ok)
        let cookies = response.headers[values: .setCookie]
        func value(_ name: String) -> String? {
            cookies.first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }
        return Login(session: try #require(value("pulse_session")), csrf: try #require(value("pulse_csrf")))
    }

    @Test func aLoginSetsAnHttpOnlySessionCookieThatAuthenticates() async throws {
        try await Self.withUser { _, client in
            let response = try await Self.login(client)
            #expect(response.status == .ok)
            let cookies = response.headers[values: .setCookie]
            let session = try #require(cookies.first { $0.hasPrefix("pulse_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Max-Age=86400"))
            let csrf = try #require(cookies.first { $0.hasPrefix("pulse_csrf=") })
            #expect(!csrf.contains("HttpOnly"), "the dashboard's script reads the CSRF cookie")
            let login = try await Self.loggedIn(client)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: login.cookie).status == .ok)
            #expect(try await client.execute(uri: "/api/state", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: [.cookie: "pulse_session=forged"]).status == .unauthorized)
        }
    }

    @Test func changesWithASessionNeedTheCSRFTokenButValidatedTokensDoNot() async throws {
        try await Self.withUser { _, client in
            let login = try await Self.loggedIn(client)
            let change = ByteBuffer(string: #"{"timeThreshold":10}"#)
            let missing = try await client.execute(uri: "/api/alerts/", method: .post, headers: login.cookie, body: change)
            #expect(missing.status == .forbidden)
            #expect(try missing.jsonObject()["code"] as? String == "csrf_failed")
            var wrong = login.cookie
            wrong[.csrfToken] = String(repeating: "0", count: 64)
            #expect(try await client.execute(uri: "/api/alerts/", method: .post, headers: wrong, body: change).status == .forbidden)
            #expect(try await client.execute(uri: "/api/alerts/", method: .post, headers: login.cookieAndCSRF, body: change).status == .ok)

            // A token header that fails validation does not fall back to the cookie, and
            // never skips CSRF.
            var badToken = login.cookie
            badToken[.apiToken] = String(repeating: "f", count: 64)
            #expect(try await client.execute(uri: "/api/alerts/", method: .post, headers: badToken, body: change).status == .unauthorized)
            #expect(
                try await client.execute(uri: "/api/alerts/", method: .post, headers: [.apiToken: TestServer.adminToken], body: change).status == .ok)

            // A token created from the dashboard is audited with the user's name.
            let created = try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: login.cookieAndCSRF,
                body: ByteBuffer(string: #"{"name":"ci","scopes":["monitoring:read"]}"#))
            #expect(created.status == .ok)
            let audit = try await client.execute(uri: "/api/security/audit", method: .get, headers: login.cookie) { response in
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
            }
            let tokenEvent = try #require(audit?.first)
            #expect(tokenEvent["event"] as? String == "token_create" && tokenEvent["actor"] as? String == "admin")
            #expect(audit?.contains { $0["event"] as? String == "settings_change" } == true)
        }
    }

    @Test func fiveFailuresLockTheUserOutUntilAnAdminResetsIt() async throws {
        try await Self.withUser { _, client in
            for remaining in [4, 3, 2, 1] {
                let response = try await Self.login(client, password: "wrong password 123")
                #expect(response.status == .unauthorized)
                #expect((try response.jsonObject()["details"] as? [String: String])?["remaining"] == String(remaining))
            }
            let fifth = try await Self.login(client, password: "wrong password 123")
            #expect(fifth.status == .tooManyRequests)
            #expect(try fifth.jsonObject()["code"] as? String == "locked_out")
            #expect(fifth.headers[.retryAfter] == "900")
            #expect(try await Self.login(client).status == .tooManyRequests, "even the right password waits out the lockout")

            let reset = try await client.execute(
                uri: "/api/security/reset-lockout", method: .post, headers: [.apiToken: TestServer.adminToken],
                body: ByteBuffer(string: #"{"identifier":"admin"}"#))
            #expect(reset.status == .ok)
            // The client address ("unknown" without a socket) is locked as well.
            _ = try await client.execute(
                uri: "/api/security/reset-lockout", method: .post, headers: [.apiToken: TestServer.adminToken],
                body: ByteBuffer(string: #"{"identifier":"unknown"}"#))
            #expect(try await Self.login(client).status == .ok)

            let audit = try await client.execute(uri: "/api/security/audit", method: .get, headers: [.apiToken: TestServer.adminToken]) { response in
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
            }
            let events = audit?.compactMap { $0["event"] as? String } ?? []
            #expect(events.first == "login")
            #expect(events.filter { $0 == "login_failed" }.count == 5)
            #expect(events.contains("lockout") && events.contains("lockout_reset"))
        }
    }

    @Test func sessionsExpireAfterADayIdleSlideWithUseAndLastLongerWhenRemembered() async throws {
        try await Self.withUser { server, client in
            let short = try await Self.loggedIn(client)
            let remembered = try await Self.loggedIn(client, rememberMe: true)
            server.time.advance(by: 23 * 3600)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: short.cookie).status == .ok)
            server.time.advance(by: 23 * 3600)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: short.cookie).status == .ok, "use slides the window")
            server.time.advance(by: 24 * 3600 + 1)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: short.cookie).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: remembered.cookie).status == .ok)
        }
    }

    @Test func logoutAndPasswordChangesEndSessions() async throws {
        try await Self.withUser { _, client in
            let first = try await Self.loggedIn(client)
            let second = try await Self.loggedIn(client)
            let wrongCurrent = try await client.execute(
                uri: "/api/security/change-password", method: .post, headers: first.cookieAndCSRF,
                body: ByteBuffer(string: AgentPayloads.json(["currentPassword": "not it at all", "newPassword": "another long passphrase"])))
            #expect(wrongCurrent.status == .unauthorized)
            let changed = try await client.execute(
                uri: "/api/security/change-password", method: .post, headers: first.cookieAndCSRF,
                body: ByteBuffer(string: AgentPayloads.json(["currentPassword": Self.password, "newPassword": "another long passphrase"])))
            #expect(changed.status == .ok)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: second.cookie).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: first.cookie).status == .ok)

            let logout = try await client.execute(uri: "/api/logout", method: .post, headers: first.cookieAndCSRF)
            #expect(logout.status == .ok)
            #expect(logout.headers[values: .setCookie].contains { $0.hasPrefix("pulse_session=;") && $0.contains("Max-Age=0") })
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: first.cookie).status == .unauthorized)
        }
    }
}

import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Persistence
@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// Sign-in by a reverse proxy (`PROXY_AUTH_*`): the headers' verdict, the settings, and the
/// server's answers to a trusted and an untrusted peer. The real nginx in front is in
/// `NginxProxyAuthTests`.
@Suite("Proxy sign-in: secret, user and role headers")
struct ProxyAuthenticationTests {
    static let secret = "proxy-shared-secret-0123456789"

    static let proxy = ProxyAuthentication(
        secret: ProxySecret(secret), userHeader: HTTPField.Name("Remote-User")!, roleHeader: HTTPField.Name("Remote-Groups")!,
        logoutURL: "https://auth.example.com/logout")

    static func headers(secret: String? = Self.secret, user: String? = nil, roles: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let secret { headers[ProxyAuthentication.secretHeader] = secret }
        if let user { headers[HTTPField.Name("Remote-User")!] = user }
        if let roles { headers[HTTPField.Name("Remote-Groups")!] = roles }
        return headers
    }

    /// A live server that trusts proxies in `trusted` (the test client connects from 127.0.0.1).
    static func configure(trusted: String) -> (inout ServerConfiguration) -> Void {
        {
            $0.trustedProxies = try! TrustedProxies(parsing: trusted)
            $0.proxyAuthentication = Self.proxy
        }
    }

    @Test func theRoleHeaderSplitBySeparatorDecidesAdminOrViewer() {
        func role(_ roles: String?) -> UserRole? {
            if case .user(let user) = Self.proxy.evaluate(Self.headers(user: "ana", roles: roles)) { return user.role }
            return nil
        }
        #expect(role("users|admin") == .admin)
        #expect(role(" admin ") == .admin)
        #expect(role("users|ops") == .viewer)
        #expect(role("administrators") == .viewer, "a role that merely contains the admin role's name is not it")
        #expect(role("") == .viewer && role(nil) == .viewer, "no roles is a viewer")
        let comma = ProxyAuthentication(
            secret: ProxySecret(Self.secret), userHeader: HTTPField.Name("Remote-User")!, roleHeader: HTTPField.Name("Remote-Groups")!,
            roleSeparator: ",", adminRole: "pulse-admins", logoutURL: nil)
        if case .user(let user) = comma.evaluate(Self.headers(user: "ana", roles: "dev,pulse-admins")) {
            #expect(user.role == .admin && user.name == "ana" && user.source == .proxy)
        } else {
            Issue.record("the right secret and a user did not sign in")
        }
        let noRoleHeader = ProxyAuthentication(
            secret: ProxySecret(Self.secret), userHeader: HTTPField.Name("Remote-User")!, roleHeader: nil, logoutURL: nil)
        #expect(noRoleHeader.evaluate(Self.headers(user: "ana")) == .user(AuthenticatedUser(name: "ana", role: .admin, source: .proxy)))
    }

    @Test func aWrongOrMissingSecretOrUserDoesNotSignIn() {
        #expect(Self.proxy.evaluate(Self.headers(secret: nil, user: "ana", roles: "admin")) == .absent)
        #expect(Self.proxy.evaluate(Self.headers(secret: "wrong", user: "ana", roles: "admin")) == .wrongSecret)
        #expect(Self.proxy.evaluate(Self.headers(secret: Self.secret + "x", user: "ana")) == .wrongSecret)
        #expect(Self.proxy.evaluate(Self.headers(secret: "", user: "ana")) == .wrongSecret)
        #expect(Self.proxy.evaluate(Self.headers(user: nil)) == .noUser)
        #expect(Self.proxy.evaluate(Self.headers(user: "  ")) == .noUser)
    }

    @Test func theSecretNeverPrints() {
        let rendered = ["\(Self.proxy)", String(reflecting: Self.proxy), "\(Self.proxy.secret)", String(reflecting: Self.proxy.secret)]
        for text in rendered { #expect(!text.contains(Self.secret), "printed: \(text)") }
    }

    @Test func settingsComeFromPulsesVariablesOrFlagsWithTheSecretOnlyFromAFile() throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("secret")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        let environment = [
            "PROXY_AUTH_SECRET": "from-env", "PROXY_AUTH_USER_HEADER": "X-Auth-User", "PROXY_AUTH_ROLE_HEADER": "X-Auth-Roles",
            "PROXY_AUTH_ROLE_SEPARATOR": ",", "PROXY_AUTH_ADMIN_ROLE": "ops", "PROXY_AUTH_LOGOUT_URL": "/oauth2/sign_out",
            "PULSE_TRUSTED_PROXY_CIDRS": "10.0.0.5",
        ]
        let fromEnvironment = try #require(try ServerOptions.parse([]).resolve(environment: environment).proxyAuthentication)
        #expect(fromEnvironment.secret.matches("from-env"))
        #expect(fromEnvironment.userHeader == HTTPField.Name("X-Auth-User") && fromEnvironment.roleHeader == HTTPField.Name("X-Auth-Roles"))
        #expect(fromEnvironment.roleSeparator == "," && fromEnvironment.adminRole == "ops" && fromEnvironment.logoutURL == "/oauth2/sign_out")
        let fromFlags = try #require(
            try ServerOptions.parse(["--proxy-auth-secret-file", file.path, "--proxy-auth-admin-role", "root", "--proxy-auth-role-separator", ";"])
                .resolve(environment: environment).proxyAuthentication)
        #expect(fromFlags.secret.matches("from-file") && fromFlags.adminRole == "root" && fromFlags.roleSeparator == ";")
        let defaults = try #require(
            try ServerOptions.parse([]).resolve(environment: [
                "PROXY_AUTH_SECRET": "s", "PROXY_AUTH_USER_HEADER": "Remote-User", "PULSE_TRUSTED_PROXY_CIDRS": "10.0.0.5",
            ]).proxyAuthentication)
        #expect(defaults.roleSeparator == "|" && defaults.adminRole == "admin" && defaults.roleHeader == nil && defaults.logoutURL == nil)
        #expect(try ServerOptions.parse([]).resolve(environment: [:]).proxyAuthentication == nil)
        let help = PulseCommand.helpMessage()
        for name in [
            "PROXY_AUTH_SECRET", "PROXY_AUTH_USER_HEADER", "PROXY_AUTH_ROLE_HEADER", "PROXY_AUTH_ROLE_SEPARATOR", "PROXY_AUTH_ADMIN_ROLE",
            "PROXY_AUTH_LOGOUT_URL", "--proxy-auth-secret-file", "--proxy-auth-user-header", "--proxy-auth-role-header",
            "--proxy-auth-role-separator", "--proxy-auth-admin-role", "--proxy-auth-logout-url",
        ] {
            #expect(help.contains(name), "pulse --help does not mention \(name)")
        }
        #expect(!help.contains("--proxy-auth-secret "), "the secret itself is never a flag")
    }

    @Test(arguments: [
        (["PROXY_AUTH_SECRET": "s", "PROXY_AUTH_USER_HEADER": "Remote-User"], "PULSE_TRUSTED_PROXY_CIDRS"),
        (["PROXY_AUTH_SECRET": "s", "PULSE_TRUSTED_PROXY_CIDRS": "10.0.0.5"], "PROXY_AUTH_USER_HEADER"),
        (["PROXY_AUTH_USER_HEADER": "Remote-User", "PULSE_TRUSTED_PROXY_CIDRS": "10.0.0.5"], "PROXY_AUTH_SECRET"),
        (
            ["PROXY_AUTH_SECRET": "s", "PROXY_AUTH_USER_HEADER": "Bad Header", "PULSE_TRUSTED_PROXY_CIDRS": "10.0.0.5"],
            "PROXY_AUTH_USER_HEADER"
        ),
        (
            [
                "PROXY_AUTH_SECRET": "s", "PROXY_AUTH_USER_HEADER": "Remote-User", "PULSE_TRUSTED_PROXY_CIDRS": "10.0.0.5",
                "PROXY_AUTH_LOGOUT_URL": "javascript:alert(1)",
            ], "PROXY_AUTH_LOGOUT_URL"
        ),
    ])
    func incompleteOrBadSettingsAreRefusedByName(environment: [String: String], named: String) throws {
        do {
            _ = try ServerOptions.parse([]).resolve(environment: environment)
            Issue.record("accepted \(environment)")
        } catch {
            #expect("\(error)".contains(named), "error '\(error)' should name \(named)")
            #expect(!"\(error)".contains("\"s\""))
        }
    }

    @Test func aTrustedProxysUserIsSignedInAndTheStatusSaysWhoWithoutTheSecret() async throws {
        try await TestServer.live(configure: Self.configure(trusted: "127.0.0.1")) { _, client in
            let viewer = try await client.execute(
                uri: "/api/security/status", method: .get, headers: Self.headers(user: "vic", roles: "users"))
            let status = try viewer.jsonObject()
            #expect(status["hasProxyAuth"] as? Bool == true)
            #expect(status["proxyAuthUsername"] as? String == "vic" && status["proxyAuthIsAdmin"] as? Bool == false)
            #expect(status["authRole"] as? String == "viewer")
            #expect(status["proxyAuthLogoutURL"] as? String == "https://auth.example.com/logout")
            #expect(!viewer.text.contains(Self.secret))
            let admin = try await client.execute(
                uri: "/api/security/status", method: .get, headers: Self.headers(user: "ada", roles: "users|admin"))
            #expect(try admin.jsonObject()["proxyAuthIsAdmin"] as? Bool == true && admin.field("authRole", as: String.self) == "admin")
            let anonymous = try await client.execute(uri: "/api/security/status", method: .get)
            #expect(anonymous.field("proxyAuthUsername", as: String.self) == "" && anonymous.field("authRole", as: String.self) == nil)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: Self.headers(user: "vic")).status == .ok)
        }
    }

    @Test func aWrongSecretIsRefusedWith401AndAuditedWithoutTheSecret() async throws {
        try await TestServer.live(configure: Self.configure(trusted: "127.0.0.1")) { server, client in
            let wrong = "not-the-secret-but-close-0123"
            let response = try await client.execute(
                uri: "/api/state", method: .get, headers: Self.headers(secret: wrong, user: "mallory", roles: "admin"))
            #expect(response.status == .unauthorized)
            #expect(response.field("code", as: String.self) == "invalid_proxy_secret" && response.field("error", as: String.self) != nil)
            // A valid token beside a wrong secret does not rescue the request.
            var withToken = Self.headers(secret: wrong, user: "mallory")
            withToken[.apiToken] = TestServer.adminToken
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: withToken).status == .unauthorized)
            let events = try server.dependencies.audit.recent(limit: 10).filter { $0.event == "proxy_auth_failed" }
            #expect(events.count == 2 && events.allSatisfy { !$0.success && $0.actor == "mallory" })
            let stored = "\(events)"
            #expect(!stored.contains(wrong) && !stored.contains(Self.secret))
        }
    }

    @Test func proxyHeadersFromAPeerOutsideTheTrustedProxiesAreIgnored() async throws {
        try await TestServer.live(configure: Self.configure(trusted: "10.9.8.7")) { server, client in
            let forged = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers(user: "eve", roles: "admin"))
            #expect(forged.status == .unauthorized && forged.field("code", as: String.self) == "unauthorized")
            let wrongSecret = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers(secret: "guess", user: "eve"))
            #expect(wrongSecret.field("code", as: String.self) == "unauthorized", "not even judged: the headers are not the proxy's")
            var withToken = Self.headers(secret: "guess", user: "eve")
            withToken[.apiToken] = TestServer.adminToken
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: withToken).status == .ok)
            #expect(try server.dependencies.audit.recent(limit: 10).allSatisfy { $0.event != "proxy_auth_failed" })
            let status = try await client.execute(uri: "/api/security/status", method: .get, headers: Self.headers(user: "eve", roles: "admin"))
            #expect(status.field("proxyAuthUsername", as: String.self) == "")
        }
    }

    @Test func theRightSecretWithoutAUserLeavesOtherCredentialsToDecide() async throws {
        try await TestServer.live(configure: Self.configure(trusted: "127.0.0.1")) { _, client in
            let alone = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers())
            #expect(alone.status == .unauthorized)
            var agent = Self.headers()
            agent[.apiToken] = TestServer.adminToken
            let withToken = try await client.execute(uri: "/api/state", method: .get, headers: agent)
            #expect(withToken.status == .ok)
        }
    }

    @Test func aProxyUsersChangeFromAnotherSitesPageIsRefused() async throws {
        try await TestServer.live(configure: Self.configure(trusted: "127.0.0.1")) { _, client in
            let body = ByteBuffer(string: #"{"name":"x","scopes":["monitoring:read"]}"#)
            var crossSite = Self.headers(user: "ada", roles: "admin")
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let refused = try await client.execute(uri: "/api/security/tokens", method: .post, headers: crossSite, body: body)
            #expect(refused.status == .forbidden && refused.field("code", as: String.self) == "csrf_failed")
            var sameOrigin = Self.headers(user: "ada", roles: "admin")
            sameOrigin[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            #expect(try await client.execute(uri: "/api/security/tokens", method: .post, headers: sameOrigin, body: body).status == .ok)
            #expect(
                try await client.execute(uri: "/api/security/tokens", method: .post, headers: Self.headers(user: "ada", roles: "admin"), body: body)
                    .status == .ok, "clients that are not browsers send no Sec-Fetch-Site")
        }
    }
}

import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Persistence
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Single sign-on against a real OpenID Connect provider (oidc-provider-mock): the browser's part
/// of the flow is played by hand (Pulse's 302 to the provider, the provider's form, its 302 back).
/// Each refusal test changes one thing that only Pulse's own check catches: without the check the
/// login would succeed.
@Suite("Single sign-on: OpenID Connect login, settings, refusals")
struct OIDCSignInTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]
    static let clientSecret = "oidc-client-secret-4f1c"

    /// A server whose clock reads real time (ID tokens carry the provider's), with SSO on.
    static func withSSO(
        _ peer: OIDCPeer, _ extra: [String: Any] = [:], configure: @escaping @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (TestServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        var settings: [String: Any] = [
            "enabled": true, "issuerUrl": peer.issuer, "clientId": "pulse", "clientSecret": clientSecret,
            "redirectUrl": "http://pulse.test/api/oidc/callback",
        ]
        settings.merge(extra) { $1 }
        let json = AgentPayloads.json(settings)
        try await TestServer.with(configure: configure) { server, client in
            server.time.advance(by: Date().timeIntervalSince(server.time.now()))
            let saved = try await client.execute(uri: "/api/security/oidc", method: .put, headers: admin, body: ByteBuffer(string: json))
            try #require(saved.status == .ok, "\(saved.text)")
            try await body(server, client)
        }
    }

    /// What the browser holds after `GET /api/oidc/login`: where it goes and its binding cookie.
    struct Started {
        let authorizationURL: String
        let cookie: String
        var query: [String: String] {
            Dictionary(URLComponents(string: authorizationURL)?.queryItems?.map { ($0.name, $0.value ?? "") } ?? [], uniquingKeysWith: { $1 })
        }
    }

    static func start(_ client: any TestClientProtocol) async throws -> Started {
        let response = try await client.execute(uri: "/api/oidc/login", method: .get)
        #expect(response.status == .found)
        let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("pulse_oidc=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/api/oidc"))
        return Started(authorizationURL: try #require(response.headers[.location]), cookie: String(cookie.prefix { $0 != ";" }))
    }

    /// Pulse's answer to the provider's redirect back.
    static func callback(_ client: any TestClientProtocol, _ back: URLComponents, cookie: String?) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/oidc/callback?" + (back.percentEncodedQuery ?? ""), method: .get, headers: cookie.map { [.cookie: $0] } ?? [:])
    }

    static func session(of response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("pulse_session=") }.map { String($0.prefix { $0 != ";" }) }
    }

    /// The `oidc_error` code of a refused callback; fails when a session was made.
    static func refusal(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        #expect(response.status == .found, sourceLocation: sourceLocation)
        #expect(session(of: response) == nil, "a refused login must not make a session", sourceLocation: sourceLocation)
        let location = URLComponents(string: response.headers[.location] ?? "")
        #expect(location?.path == "/", sourceLocation: sourceLocation)
        return location?.queryItems?.first { $0.name == "oidc_error" }?.value
    }

    static func lastAudit(_ server: TestServer) throws -> AuditEvent? {
        try AuditEventTable(database: server.dependencies.database).recent(limit: 1).first
    }

    @Test func aFullLoginMakesASessionWithTheMappedRoleAndIsAudited() async throws {
        try await OIDCPeer.with { peer in
            try await peer.setUser("alice", ["email": "alice@example.com", "preferred_username": "alice", "groups": ["pulse-admins"]])
            try await peer.setUser("carol", ["email": "carol@example.com", "preferred_username": "carol", "groups": ["staff"]])
            let extra: [String: Any] = ["groupsClaim": "groups", "groupRoleMappings": "pulse-admins=admin,staff=viewer"]
            try await Self.withSSO(peer, extra) { server, client in
                let started = try await Self.start(client)
                let query = started.query
                #expect(started.authorizationURL.hasPrefix(peer.issuer + "/oauth2/authorize?"))
                #expect(query["response_type"] == "code" && query["client_id"] == "pulse" && query["code_challenge_method"] == "S256")
                #expect(query["redirect_uri"] == "http://pulse.test/api/oidc/callback" && query["scope"] == "openid profile email")
                #expect((query["state"]?.count ?? 0) >= 32 && (query["nonce"]?.count ?? 0) >= 32 && (query["code_challenge"]?.count ?? 0) == 43)

                let back = try await peer.authorize(started.authorizationURL, as: "alice")
                let response = try await Self.callback(client, back, cookie: started.cookie)
                #expect(response.status == .found && response.headers[.location] == "/?oidc=success")
                let session = try #require(Self.session(of: response))
                let status = try await client.execute(uri: "/api/security/status", method: .get, headers: [.cookie: session])
                #expect(status.field("oidcUsername", as: String.self) == "alice" && status.field("authRole", as: String.self) == "admin")
                #expect(status.field("oidcEnabled", as: Bool.self) == true)
                let audit = try #require(try Self.lastAudit(server))
                #expect(audit.event == "oidc_login" && audit.success && audit.actor == "alice")

                // A user whose group maps to a viewer role reads but may not change anything.
                let second = try await Self.start(client)
                let viewer = try await Self.callback(client, try await peer.authorize(second.authorizationURL, as: "carol"), cookie: second.cookie)
                let viewerSession = try #require(Self.session(of: viewer))
                let csrf = try #require(viewer.headers[values: .setCookie].first { $0.hasPrefix("pulse_csrf=") }?.dropFirst(10).prefix { $0 != ";" })
                let read = try await client.execute(uri: "/api/state", method: .get, headers: [.cookie: viewerSession])
                #expect(read.status == .ok)
                let change = try await client.execute(
                    uri: "/api/security/oidc", method: .put, headers: [.cookie: viewerSession, .csrfToken: String(csrf)], body: .json("{}"))
                #expect(change.status == .forbidden)
            }
        }
    }

    @Test func theClientSecretIsWriteOnlyAndVariablesLockTheirSettings() async throws {
        try await OIDCPeer.with { peer in
            let fixed = LiveOIDCSettings.Fixed(patch: OIDCSettingsPatch(values: ["logoutUrl": .string("https://idp.test/logout")]))
            try await Self.withSSO(peer, configure: { $0.oidc = fixed }) { server, client in
                let read = try await client.execute(uri: "/api/security/oidc", method: .get, headers: Self.admin)
                #expect(read.status == .ok && read.field("clientSecretSet", as: Bool.self) == true && !read.text.contains(Self.clientSecret))
                #expect(read.field("envOverrides", as: [String: Bool].self) == ["logoutUrl": true])
                #expect(read.field("logoutUrl", as: String.self) == "https://idp.test/logout")
                let sealed = try server.dependencies.database.read { db in try Data.fetchAll(db, sql: "SELECT sealed FROM sealedSecret") }
                #expect(!sealed.contains { String(decoding: $0, as: UTF8.self).contains(Self.clientSecret) })
                let locked = try await client.execute(
                    uri: "/api/security/oidc", method: .put, headers: Self.admin, body: .json(#"{"logoutUrl":"https://elsewhere.test/"}"#))
                #expect(locked.status == .conflict && locked.field("code", as: String.self) == "locked_by_environment")
                let status = try await client.execute(uri: "/api/security/status", method: .get)
                #expect(status.field("oidcLogoutURL", as: String.self) == "https://idp.test/logout")
                // POST, as Pulse's documentation writes it, changes the settings too.
                let posted = try await client.execute(
                    uri: "/api/security/oidc", method: .post, headers: Self.admin, body: .json(#"{"allowedDomains":"example.com, example.org"}"#))
                #expect(posted.field("allowedDomains", as: [String].self) == ["example.com", "example.org"])
            }
        }
    }

    @Test func aReplayedStateIsRefusedEvenWithAFreshCodeFromTheProvider() async throws {
        try await OIDCPeer.with { peer in
            try await Self.withSSO(peer) { server, client in
                let started = try await Self.start(client)
                let first = try await Self.callback(client, try await peer.authorize(started.authorizationURL, as: "alice"), cookie: started.cookie)
                #expect(Self.session(of: first) != nil)
                // The same authorization request again: a new code for the same state and nonce.
                let again = try await Self.callback(client, try await peer.authorize(started.authorizationURL, as: "alice"), cookie: started.cookie)
                #expect(Self.refusal(again) == "invalid_state")
                #expect(try Self.lastAudit(server).map { !$0.success && $0.event == "oidc_login" } == true)
            }
        }
    }

    @Test func aCallbackWithoutTheBrowsersCookieIsRefused() async throws {
        try await OIDCPeer.with { peer in
            try await Self.withSSO(peer) { _, client in
                let started = try await Self.start(client)
                let back = try await peer.authorize(started.authorizationURL, as: "mallory")
                #expect(Self.refusal(try await Self.callback(client, back, cookie: nil)) == "state_mismatch")
                let other = try await Self.start(client)
                let started2 = try await Self.start(client)
                let back2 = try await peer.authorize(started2.authorizationURL, as: "mallory")
                #expect(Self.refusal(try await Self.callback(client, back2, cookie: other.cookie)) == "state_mismatch")
            }
        }
    }

    @Test func anIDTokenWithAnotherLoginsNonceIsRefused() async throws {
        try await OIDCPeer.with { peer in
            try await Self.withSSO(peer) { server, client in
                let started = try await Self.start(client)
                var url = try #require(URLComponents(string: started.authorizationURL))
                url.queryItems = url.queryItems?.map { $0.name == "nonce" ? URLQueryItem(name: "nonce", value: RandomHex.make(byteCount: 32)) : $0 }
                let back = try await peer.authorize(try #require(url.string), as: "alice")
                #expect(Self.refusal(try await Self.callback(client, back, cookie: started.cookie)) == "invalid_id_token")
                #expect(try Self.lastAudit(server)?.details?.contains("nonce") == true)
            }
        }
    }

    @Test func anExpiredIDTokenIsRefused() async throws {
        try await OIDCPeer.with(tokenLifetime: 60) { peer in
            try await Self.withSSO(peer) { server, client in
                let started = try await Self.start(client)
                let back = try await peer.authorize(started.authorizationURL, as: "alice")
                // The token lives a minute; Pulse's clock is nine minutes on (the login itself lives ten).
                server.time.advance(by: 540)
                #expect(Self.refusal(try await Self.callback(client, back, cookie: started.cookie)) == "invalid_id_token")
                #expect(try Self.lastAudit(server)?.details?.contains("expired") == true)
            }
        }
    }

    @Test func usersOutsideTheAllowedGroupsOrDomainsAreRefused() async throws {
        try await OIDCPeer.with { peer in
            try await peer.setUser("bob", ["email": "bob@example.com", "preferred_username": "bob", "groups": ["staff"]])
            try await peer.setUser("alice", ["email": "alice@example.com", "preferred_username": "alice", "groups": ["pulse-users"]])
            try await Self.withSSO(peer, ["groupsClaim": "groups", "allowedGroups": ["pulse-users"]]) { server, client in
                let started = try await Self.start(client)
                let back = try await peer.authorize(started.authorizationURL, as: "bob")
                #expect(Self.refusal(try await Self.callback(client, back, cookie: started.cookie)) == "group_restricted")
                #expect(try Self.lastAudit(server)?.actor == "bob")
                let allowed = try await Self.start(client)
                let ok = try await Self.callback(client, try await peer.authorize(allowed.authorizationURL, as: "alice"), cookie: allowed.cookie)
                #expect(Self.session(of: ok) != nil)
                _ = try await client.execute(
                    uri: "/api/security/oidc", method: .put, headers: Self.admin, body: .json(#"{"allowedDomains":["example.org"]}"#))
                let third = try await Self.start(client)
                let domain = try await Self.callback(client, try await peer.authorize(third.authorizationURL, as: "alice"), cookie: third.cookie)
                #expect(Self.refusal(domain) == "domain_restricted")
            }
        }
    }

    @Test func theVerifierRefusesATamperedSignatureAndAnotherClientsAudience() async throws {
        try await OIDCPeer.with { peer in
            let provider = try OIDCProvider(issuer: peer.issuer, caBundle: "", time: SystemTimeSource())
            let keys = try await provider.signingKeys()
            let nonce = "n-\(RandomHex.make(byteCount: 8))"
            let token = try await peer.idToken(for: "pulse", as: "alice", nonce: nonce)
            let verifier = IDTokenVerifier(issuer: peer.issuer, clientID: "pulse")
            let claims = try await verifier.verify(token, keys: keys, nonce: nonce, now: Date())
            #expect(claims["sub"] == .string("alice"))

            // One signature byte changed.
            var parts = token.split(separator: ".").map(String.init)
            var signature = try #require(Base64URL.decode(parts[2]))
            signature[signature.startIndex + 5] ^= 0x01
            parts[2] = Base64URL.encode(signature)
            await #expect(throws: IDTokenVerifier.Failure.self) {
                try await verifier.verify(parts.joined(separator: "."), keys: keys, nonce: nonce, now: Date())
            }
            // The payload changed under the provider's signature (another subject).
            var payload = try #require(Base64URL.decode(token.split(separator: ".")[1].description))
            payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"alice\"", with: "\"admin\"").utf8)
            let forged = [String(token.split(separator: ".")[0]), Base64URL.encode(payload), String(token.split(separator: ".")[2])].joined(
                separator: ".")
            await #expect(throws: IDTokenVerifier.Failure.self) { try await verifier.verify(forged, keys: keys, nonce: nonce, now: Date()) }

            // A genuine token issued to another client.
            let foreign = try await peer.idToken(for: "another-app", as: "alice", nonce: nonce)
            _ = try await IDTokenVerifier(issuer: peer.issuer, clientID: "another-app").verify(foreign, keys: keys, nonce: nonce, now: Date())
            do {
                _ = try await verifier.verify(foreign, keys: keys, nonce: nonce, now: Date())
                Issue.record("a token for another client was accepted")
            } catch let failure as IDTokenVerifier.Failure {
                #expect(failure.description.contains("audience"))
            }
            // A token naming a key the set lacks asks for the keys to be read again.
            do {
                _ = try await verifier.verify(token, keys: [], nonce: nonce, now: Date())
                Issue.record("a token was accepted without keys")
            } catch let failure as IDTokenVerifier.Failure {
                #expect(failure.unknownKey)
            }
        }
    }

    @Test func pulsesGroupRoleMappingTextIsRead() {
        #expect(
            OIDCGroupRoleMappings.parse("admins=admin, ops=operator viewers=viewer,bad,=x,y=") == [
                "admins": "admin", "ops": "operator", "viewers": "viewer",
            ])
        var settings = OIDCSettings()
        #expect(settings.isAdmin(groups: []), "without mappings every SSO user is an admin, as in Pulse")
        settings.groupRoleMappings = ["admins": "admin", "ops": "operator"]
        #expect(settings.isAdmin(groups: ["ops", "admins"]) && !settings.isAdmin(groups: ["ops"]) && !settings.isAdmin(groups: []))
    }

    /// Single sign-on is a way to sign in: a server with tokens and SSO but no password user is
    /// neither awaiting setup nor read-only, and only then may the login page hide its password form.
    @Test func singleSignOnCountsAsSignInAndAloneMayHideTheLocalLogin() async throws {
        try await OIDCPeer.with { peer in
            try await TestServer.with { _, client in
                let hide = try await client.execute(
                    uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: .json(#"{"hideLocalLogin":true}"#))
                #expect(hide.status == .ok, "\(hide.text)")
                let before = try await client.execute(uri: "/api/security/status", method: .get)
                #expect(before.field("apiOnlyMode", as: Bool.self) == true && before.field("setupRequired", as: Bool.self) == true)
                #expect(before.field("hasAuthentication", as: Bool.self) == false)
                #expect(before.field("hideLocalLogin", as: Bool.self) == false, "without SSO the password form is the only way in")

                let settings = AgentPayloads.json([
                    "enabled": true, "issuerUrl": peer.issuer, "clientId": "pulse", "clientSecret": Self.clientSecret,
                    "redirectUrl": "http://pulse.test/api/oidc/callback",
                ])
                let saved = try await client.execute(uri: "/api/security/oidc", method: .put, headers: Self.admin, body: ByteBuffer(string: settings))
                #expect(saved.status == .ok, "\(saved.text)")
                let after = try await client.execute(uri: "/api/security/status", method: .get)
                #expect(after.field("apiOnlyMode", as: Bool.self) == false && after.field("setupRequired", as: Bool.self) == false)
                #expect(after.field("hasAuthentication", as: Bool.self) == true && after.field("hideLocalLogin", as: Bool.self) == true)
            }
        }
    }

    @Test func theLoginRedirectsBackWithAnErrorWhenSSOIsOff() async throws {
        try await TestServer.with { _, client in
            let response = try await client.execute(uri: "/api/oidc/login", method: .get)
            #expect(response.status == .found && response.headers[.location] == "/?oidc=error&oidc_error=oidc_disabled")
            let status = try await client.execute(uri: "/api/security/status", method: .get)
            #expect(status.field("oidcEnabled", as: Bool.self) == false)
        }
    }
}

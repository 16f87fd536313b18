import AgentProtocol
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

/// The route × identity matrix of the security campaign: every registered route is called with no
/// credentials, with each scope alone, with `*`, and with a dashboard session with and without its
/// CSRF token; each answer must match the access the route declared when it was registered. New
/// routes join by construction (the list comes from `ScopedRouter`).
@Suite("Access matrix: every route × every identity")
struct AccessMatrixTests {
    enum Identity: CustomStringConvertible {
        case anonymous
        case token(Scope)
        case session(withCSRF: Bool)

        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case .token(let scope): "token[\(scope.rawValue)]"
            case .session(let withCSRF): withCSRF ? "session+csrf" : "session-without-csrf"
            }
        }
    }

    enum Expected: Equatable {
        /// Not refused for want of credentials, scope or CSRF (the route may still say 400/404/409).
        case admitted
        case unauthenticated
        case missingScope
        case csrfRefused
    }

    /// What `route` must answer `identity`, from its declared access alone.
    static func expected(_ route: RegisteredRoute, for identity: Identity) -> Expected {
        let unsafe = !route.method.isSafe
        switch identity {
        case .session(let withCSRF):
            return unsafe && !withCSRF && route.path != "/api/login" ? .csrfRefused : .admitted
        case .anonymous:
            return route.access == .open ? .admitted : .unauthenticated
        case .token(let scope):
            guard let required = route.access.requiredScope else { return .admitted }
            return [scope].grants(required) ? .admitted : .missingScope
        }
    }

    static func observed(_ response: TestResponse) -> Expected {
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        let code = object?["code"] as? String
        // A handler's own check may answer 401 too (a wrong bootstrap token): only the access
        // layer's two answers count as "not authenticated".
        let accessMessages = [APIError.authenticationRequired.message, APIError.invalidToken.message]
        switch (response.status, code) {
        case (.unauthorized, _) where accessMessages.contains(object?["error"] as? String ?? ""): return .unauthenticated
        case (.forbidden, "missing_scope"): return .missingScope
        case (.forbidden, "csrf_failed"): return .csrfRefused
        default: return .admitted
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func everyRouteAnswersEveryIdentityAsItsDeclaredAccessSays() async throws {
        try await SessionSecurityTests.withUser { server, client in
            let identities: [Identity] =
                [.anonymous] + (Scope.all + [.wildcard]).map { .token($0) }
                + [.session(withCSRF: true), .session(withCSRF: false)]
            var tokens: [Scope: String] = [:]
            for scope in Scope.all + [.wildcard] { tokens[scope] = try await server.token(scopes: [scope.rawValue]) }
            var login = try await SessionSecurityTests.loggedIn(client)
            var mismatches: [String] = []
            var calls = 0
            let routes = server.app.routes
            for route in routes {
                for identity in identities {
                    // Each call starts a fresh rate-limit window: the matrix tests access, not limits.
                    server.time.advance(by: 61)
                    var headers: HTTPFields = [.contentType: "application/json"]
                    switch identity {
                    case .anonymous: break
                    case .token(let scope): headers[.apiToken] = tokens[scope]
                    case .session(let withCSRF):
                        // The previous call may have ended the session (logout, password changes).
                        if try await client.execute(uri: "/api/state", method: .get, headers: login.cookie).status == .unauthorized {
                            login = try await SessionSecurityTests.loggedIn(client)
                        }
                        headers.append(contentsOf: withCSRF ? login.cookieAndCSRF : login.cookie)
                    }
                    let response = try await client.execute(
                        uri: RouteAccessTests.uri(for: route), method: route.method, headers: headers, body: ByteBuffer(string: "{}"))
                    calls += 1
                    let want = Self.expected(route, for: identity)
                    let got = Self.observed(response)
                    if want != got { mismatches.append("\(route) as \(identity): expected \(want), got \(got) (\(response.status.code))") }
                }
            }
            print("access matrix: \(routes.count) routes × \(identities.count) identities = \(calls) calls, \(mismatches.count) mismatches")
            #expect(calls == routes.count * identities.count)
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    /// A viewer (here signed in by a trusted proxy whose role header lacks the admin role) reads
    /// what `monitoring:read` reads and changes nothing: every route that needs another scope
    /// answers 403 `read_only_role`, every `monitoring:read` route and every public one serves
    /// it (200, or 400/404 for the placeholder IDs), and an admin through the same proxy is refused
    /// nowhere. The routes come from `ScopedRouter`, so a new route is walked by construction.
    @Test(.timeLimit(.minutes(5)))
    func aViewerIsRefusedEveryChangeAndServedEveryRead() async throws {
        try await TestServer.live(configure: ProxyAuthenticationTests.configure(trusted: "127.0.0.1")) { server, client in
            var mismatches: [String] = []
            var refused = 0
            var served = 0
            for route in server.app.routes {
                for (roles, isViewer) in [("users|readers", true), ("users|admin", false)] {
                    server.time.advance(by: 61)
                    let response = try await client.execute(
                        uri: RouteAccessTests.uri(for: route), method: route.method,
                        headers: ProxyAuthenticationTests.headers(user: isViewer ? "vic" : "ada", roles: roles), body: ByteBuffer(string: "{}"))
                    let code = response.field("code", as: String.self)
                    let isRefused = response.status == .forbidden && code == "read_only_role"
                    let mayRead = route.access == .open || route.access.requiredScope == .monitoringRead
                    if isViewer && !mayRead {
                        refused += 1
                        if !isRefused {
                            mismatches.append("\(route) as viewer: expected 403 read_only_role, got \(response.status.code) \(code ?? "")")
                        }
                    } else {
                        if isViewer { served += 1 }
                        // A handler may still say 401 or 403 for its own reasons (a wrong bootstrap
                        // token, a password change without a session); only the access layer's count.
                        let accessCodes = ["read_only_role", "missing_scope", "csrf_failed", "unauthorized", "invalid_proxy_secret"]
                        if (response.status == .unauthorized || response.status == .forbidden) && accessCodes.contains(code ?? "") {
                            mismatches.append("\(route) as \(isViewer ? "viewer" : "admin"): refused with \(response.status.code) \(code ?? "")")
                        }
                    }
                }
            }
            print("viewer matrix: \(refused) changes refused, \(served) reads served")
            #expect(refused > 40 && served > 20, "the walk covered too little: \(refused) refused, \(served) served")
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }
}

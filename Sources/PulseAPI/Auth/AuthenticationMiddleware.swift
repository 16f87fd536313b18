import HTTPTypes
package import Hummingbird
import Logging
import PulseSupport

/// Establishes who is calling: a user a trusted reverse proxy vouches for (`ProxyAuthentication`),
/// else an API token from `X-API-Token` or `Authorization: Bearer`, else a browser session from
/// the `pulse_session` cookie (Pulse's order). It never rejects a missing or bad
/// credential on its own (each route's `RouteAccess` decides, so public routes stay public even
/// with a stale token), with one exception: a request that is not GET, HEAD or OPTIONS and is
/// authenticated by a session must carry the session's CSRF token in `X-CSRF-Token`, or it is
/// refused with 403.
///
/// CSRF is skipped only for callers whose token was *validated*: a request that merely presents
/// a token header is not trusted for it (Pulse v5 skipped CSRF whenever the header was present),
/// and a rejected token never falls back to the cookie.
///
/// Proxy headers count only when the connection's peer is inside `PULSE_TRUSTED_PROXY_CIDRS`;
/// from any other peer they are ignored as if absent. A wrong `X-Proxy-Secret` is audited (never
/// the secret) and leaves the request unauthenticated, without falling back to other credentials.
/// A proxy user's change must not come from another site's page (`Sec-Fetch-Site`): the proxy's
/// own cookie would carry such a request, and there is no Pulse CSRF token to check.
///
/// While recovery has switched authentication off (`RecoveryMode`), a request that presents no
/// credentials at all and comes from this machine (`isLoopbackClient`) is an administrator named
/// `recovery`. A change from such a request must come from Pulse's own pages on a loopback host
/// name: a browser on the server's console would otherwise carry another site's requests (or a
/// DNS-rebound name's) in with it.
///
/// Tokens in the query string are deliberately ignored: URLs end up in logs and referrers.
package struct AuthenticationMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext
    package let tokens: TokenRegistry
    package let sessions: SessionStore
    /// Sign-in by a reverse proxy; nil when `PROXY_AUTH_SECRET` is not set.
    package let proxyAuthentication: ProxyAuthentication?
    package let trustedProxies: TrustedProxies
    package let audit: AuditLog
    /// Recovery's window without authentication for loopback clients.
    package let recovery: RecoveryMode

    static let sessionCookie = "pulse_session"
    static let csrfCookie = "pulse_csrf"
    /// Requests that create a session cannot carry its CSRF token yet.
    static let csrfExemptPaths: Set<String> = ["/api/login"]

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        switch proxyOutcome(request, context: context) {
        case .user(let user):
            context.authentication = .user(user)
            if !request.method.isSafe, let site = request.headers[.secFetchSite], !["same-origin", "none"].contains(site) {
                context.logger.warning("request refused: a proxy user's change from another site", metadata: ["path": .string(request.uri.path)])
                throw APIError(.forbidden, code: .csrfFailed, message: "Changes must come from Pulse's own pages")
            }
            return try await next(request, context)
        case .wrongSecret:
            audit.record(
                "proxy_auth_failed", actor: proxyAuthentication.flatMap { request.headers[$0.userHeader] },
                ip: context.clientIP, success: false, details: "wrong X-Proxy-Secret on \(request.method.rawValue) \(request.uri.path)")
            context.authentication = .rejectedProxySecret
            return try await next(request, context)
        case .absent, .noUser:
            break
        }
        if let raw = Self.presentedToken(in: request.headers) {
            if let record = await tokens.authenticate(raw) {
                context.authentication = .token(record)
            } else {
                context.authentication = .rejectedToken
            }
        } else if let sessionID = request.cookies[Self.sessionCookie]?.value, !sessionID.isEmpty,
            let session = await sessions.authenticate(sessionID)
        {
            context.authentication = .user(
                AuthenticatedUser(name: session.username, role: session.role, source: session.signIn == .oidc ? .oidc : .session))
            context.sessionID = sessionID
            if !request.method.isSafe, !Self.csrfExemptPaths.contains(request.uri.path) {
                let presented = request.headers[.csrfToken] ?? ""
                guard !presented.isEmpty, await sessions.csrfMatches(sessionID: sessionID, token: presented) else {
                    context.logger.warning("request refused: CSRF token missing or wrong", metadata: ["path": .string(request.uri.path)])
                    throw APIError(
                        .forbidden, code: .csrfFailed, message: "CSRF token missing or invalid; send the pulse_csrf cookie's value in X-CSRF-Token")
                }
            }
        } else if context.isLoopbackClient, await recovery.admitsLoopbackWithoutCredentials() {
            try Self.requireLocalPage(request, context: context)
            context.authentication = .user(AuthenticatedUser(name: "recovery", role: .admin, source: .recovery))
        }
        return try await next(request, context)
    }

    /// Refuses a change sent by another site's page, or to a host name that is not loopback's.
    private static func requireLocalPage(_ request: Request, context: Context) throws {
        guard !request.method.isSafe else { return }
        let site = request.headers[.secFetchSite]
        guard site == nil || ["same-origin", "none"].contains(site), isLoopbackHost(request.head.authority) else {
            context.logger.warning("request refused: a change without credentials in recovery from a foreign page or host name")
            throw APIError(.forbidden, code: .csrfFailed, message: "In recovery, changes must come from this machine's own Pulse pages")
        }
    }

    /// `localhost` or a loopback address, with or without a port; true when there is no Host.
    static func isLoopbackHost(_ authority: String?) -> Bool {
        guard let authority, !authority.isEmpty else { return true }
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return host.lowercased() == "localhost" || IPAddress(String(host))?.isLoopback == true
    }

    /// The proxy headers' verdict, `.absent` unless proxy sign-in is configured and the socket's
    /// peer (not the forwarded client address) is a trusted proxy.
    private func proxyOutcome(_ request: Request, context: Context) -> ProxyAuthentication.Outcome {
        guard let proxyAuthentication, let peer = context.peerIP.flatMap(IPAddress.init),
            trustedProxies.isTrusted(peer)
        else { return .absent }
        return proxyAuthentication.evaluate(request.headers)
    }

    /// The raw token from the headers, `X-API-Token` first.
    static func presentedToken(in headers: HTTPFields) -> String? {
        if let value = headers[.apiToken]?.trimmingWhitespace, !value.isEmpty {
            return value
        }
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let value = parts[1].trimmingWhitespace
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        tokens: TokenRegistry, sessions: SessionStore, proxyAuthentication: ProxyAuthentication?, trustedProxies: TrustedProxies, audit: AuditLog,
        recovery: RecoveryMode
    ) {
        self.tokens = tokens
        self.sessions = sessions
        self.proxyAuthentication = proxyAuthentication
        self.trustedProxies = trustedProxies
        self.audit = audit
        self.recovery = recovery
    }
}

extension HTTPField.Name {
    /// Set by browsers on every request: where the page that sent it comes from.
    static let secFetchSite = Self("Sec-Fetch-Site")!
}

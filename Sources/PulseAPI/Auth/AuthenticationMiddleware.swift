package import Hummingbird
import Logging
import PulseSupport

/// Establishes who is calling: an API token from `X-API-Token` or `Authorization: Bearer`, else
/// a browser session from the `pulse_session` cookie. It never rejects a missing or bad
/// credential on its own (each route's `RouteAccess` decides, so public routes stay public even
/// with a stale token), with one exception: a request that is not GET, HEAD or OPTIONS and is
/// authenticated by a session must carry the session's CSRF token in `X-CSRF-Token`, or it is
/// refused with 403.
///
/// CSRF is skipped only for callers whose token was *validated*: a request that merely presents
/// a token header is not trusted for it (Pulse v5 skipped CSRF whenever the header was present),
/// and a rejected token never falls back to the cookie.
///
/// Tokens in the query string are deliberately ignored: URLs end up in logs and referrers.
package struct AuthenticationMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext
    package let tokens: TokenRegistry
    package let sessions: SessionStore

    static let sessionCookie = "pulse_session"
    static let csrfCookie = "pulse_csrf"
    /// Requests that create a session cannot carry its CSRF token yet.
    static let csrfExemptPaths: Set<String> = ["/api/login"]

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let raw = Self.presentedToken(in: request.headers) {
            if let record = await tokens.authenticate(raw) {
                context.authentication = .token(record)
            } else {
                context.authentication = .rejectedToken
            }
        } else if let sessionID = request.cookies[Self.sessionCookie]?.value, !sessionID.isEmpty,
            let session = await sessions.authenticate(sessionID)
        {
            context.authentication = .user(session.username)
            context.sessionID = sessionID
            if !request.method.isSafe, !Self.csrfExemptPaths.contains(request.uri.path) {
                let presented = request.headers[.csrfToken] ?? ""
                guard !presented.isEmpty, await sessions.csrfMatches(sessionID: sessionID, token: presented) else {
                    context.logger.warning("request refused: CSRF token missing or wrong", metadata: ["path": .string(request.uri.path)])
                    throw APIError(
                        .forbidden, code: .csrfFailed, message: "CSRF token missing or invalid; send the pulse_csrf cookie's value in X-CSRF-Token")
                }
            }
        }
        return try await next(request, context)
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
    package init(tokens: TokenRegistry, sessions: SessionStore) {
        self.tokens = tokens
        self.sessions = sessions
    }
}

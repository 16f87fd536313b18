import Foundation
package import Hummingbird

/// Adds the browser hardening headers to every response.
///
/// The dashboard is served from this origin with no inline scripts, so the policy can be strict:
/// scripts, styles and connections only from `self`. `connect-src 'self'` also covers the
/// dashboard's `/ws` (CSP level 3 matches `ws:`/`wss:` to the page's own host and port with
/// `self`); a bare `ws: wss:` would have let a script reach any WebSocket server.
///
/// When the server serves TLS, every response also carries HSTS, so a browser that has been
/// here once never again sends its session cookie over plain HTTP to this host.
package struct SecurityHeadersMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext

    static let strictTransportSecurityValue = "max-age=31536000; includeSubDomains"

    /// Whether to send `Strict-Transport-Security` (the server serves TLS).
    package let strictTransportSecurity: Bool
    /// Which pages may show the dashboard in a frame, read per response (the `allowEmbedding`
    /// and `allowedEmbedOrigins` settings change at run time); nil: none.
    package let embedding: @Sendable () -> [WebOrigin]?

    package init(strictTransportSecurity: Bool, embedding: @escaping @Sendable () -> [WebOrigin]? = { nil }) {
        self.strictTransportSecurity = strictTransportSecurity
        self.embedding = embedding
    }

    /// The policy with `frame-ancestors` naming the pages that may embed: this origin and `origins`.
    static func contentSecurityPolicy(embeddableBy origins: [WebOrigin]) -> String {
        contentSecurityPolicy.replacingOccurrences(
            of: "frame-ancestors 'none'", with: (["frame-ancestors 'self'"] + origins.map(\.description)).joined(separator: " "))
    }

    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ].joined(separator: "; ")

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if let origins = embedding() {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy(embeddableBy: origins)
            // X-Frame-Options cannot name other origins: browsers that know frame-ancestors follow it.
            if origins.isEmpty { response.headers[.xFrameOptions] = "SAMEORIGIN" }
        } else {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
            response.headers[.xFrameOptions] = "DENY"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = Self.strictTransportSecurityValue }
        if response.headers[.cacheControl] == nil, request.uri.path.hasPrefix("/api/") {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

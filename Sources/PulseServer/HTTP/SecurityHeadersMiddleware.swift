import Hummingbird

/// Adds the browser hardening headers to every response.
///
/// The dashboard is served from this origin with no inline scripts, so the policy can be strict:
/// scripts, styles and connections only from `self` (plus `ws:`/`wss:` to ourselves for `/ws`).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PulseRequestContext

    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ].joined(separator: "; ")

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        if response.headers[.cacheControl] == nil, request.uri.path.hasPrefix("/api/") {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

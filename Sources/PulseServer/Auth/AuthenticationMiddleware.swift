import Hummingbird

/// Reads the API token from `X-API-Token` or `Authorization: Bearer` and records the outcome in
/// the context. It never rejects on its own: each route's `RouteAccess` decides, so public routes
/// stay public even when a stale token is sent.
///
/// Tokens in the query string are deliberately ignored: URLs end up in logs and referrers.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = PulseRequestContext
    let tokens: TokenRegistry

    func handle(
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
}

import HTTPTypes
import Hummingbird

/// Settles who the client is before anything counts or records it (rate limits, lockout, audit):
/// the socket's peer, or behind a trusted reverse proxy the address the proxy forwarded.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = PulseRequestContext
    let proxies: TrustedProxies

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !proxies.ranges.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientIP = proxies.clientAddress(
            peer: context.clientIP, forwardedFor: request.headers[values: .xForwardedFor], realIP: request.headers[.xRealIP])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xRealIP = Self("X-Real-IP")!
}

import HTTPTypes
package import Hummingbird

/// Settles who the client is before anything counts or records it (rate limits, lockout, audit):
/// the socket's peer, or behind a trusted reverse proxy the address the proxy forwarded.
package struct ClientAddressMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext
    package let proxies: TrustedProxies

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !proxies.ranges.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientIP = proxies.clientAddress(
            peer: context.clientIP, forwardedFor: request.headers[values: .xForwardedFor], realIP: request.headers[.xRealIP])
        return try await next(request, context)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(proxies: TrustedProxies) {
        self.proxies = proxies
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xRealIP = Self("X-Real-IP")!
}

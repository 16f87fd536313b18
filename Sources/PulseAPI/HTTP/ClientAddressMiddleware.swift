import HTTPTypes
package import Hummingbird

/// Settles who the client is before anything counts or records it (rate limits, lockout, audit):
/// the socket's peer, or behind a trusted reverse proxy the address the proxy forwarded; and
/// whether it is this machine itself (`TrustedProxies.isLoopbackClient`).
package struct ClientAddressMiddleware: RouterMiddleware {
    package typealias Context = PulseRequestContext
    package let proxies: TrustedProxies

    package func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let forwardedFor = request.headers[values: .xForwardedFor]
        let realIP = request.headers[.xRealIP]
        context.isLoopbackClient = proxies.isLoopbackClient(
            peer: context.peerIP, forwardedFor: forwardedFor, realIP: realIP, forwarded: request.headers[.forwarded])
        guard !proxies.ranges.isEmpty else { return try await next(request, context) }
        context.clientIP = proxies.clientAddress(peer: context.clientIP, forwardedFor: forwardedFor, realIP: realIP)
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
    /// RFC 7239's forwarding header; only ever a reason to distrust a request (`isLoopbackClient`).
    static let forwarded = Self("Forwarded")!
}

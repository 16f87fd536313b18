package import Hummingbird
package import HummingbirdWebSocket
import Logging
package import NIOCore

/// Per-request state every handler sees: who is calling and from where.
package struct PulseRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The peer address of the connection.
    package let remoteAddress: SocketAddress?
    /// What the credentials on this request established; set by `AuthenticationMiddleware`.
    package var authentication: Authentication = .anonymous
    /// The `pulse_session` cookie when the caller is authenticated by a browser session.
    var sessionID: String?
    /// Where a WebSocket upgrade stores its handler (hummingbird-websocket's contract).
    package let webSocket = WebSocketHandlerReference<PulseRequestContext>()

    /// The client IP for rate limits, lockout and audit: the peer, `unknown` when there is none,
    /// or behind a trusted proxy what it forwarded (`ClientAddressMiddleware`).
    var clientIP: String

    /// Whether the client is this machine itself, by the strict rule of
    /// `TrustedProxies.isLoopbackClient`; set by `ClientAddressMiddleware`.
    var isLoopbackClient = false

    /// The socket peer's IP address, whatever a proxy forwarded; nil when there is none.
    var peerIP: String? { remoteAddress?.ipAddress }

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientIP = remoteAddress?.ipAddress ?? "unknown"
    }
}

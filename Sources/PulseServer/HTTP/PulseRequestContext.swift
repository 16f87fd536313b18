import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Per-request state every handler sees: who is calling and from where.
struct PulseRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer address of the connection.
    let remoteAddress: SocketAddress?
    /// What the credentials on this request established; set by `AuthenticationMiddleware`.
    var authentication: Authentication = .anonymous
    /// The `pulse_session` cookie when the caller is authenticated by a browser session.
    var sessionID: String?
    /// Where a WebSocket upgrade stores its handler (hummingbird-websocket's contract).
    let webSocket = WebSocketHandlerReference<PulseRequestContext>()

    /// The client IP for rate limits, lockout and audit: the peer, `unknown` when there is none,
    /// or behind a trusted proxy what it forwarded (`ClientAddressMiddleware`).
    var clientIP: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientIP = remoteAddress?.ipAddress ?? "unknown"
    }
}

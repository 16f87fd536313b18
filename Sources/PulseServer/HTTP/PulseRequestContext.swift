import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Per-request state every handler sees: who is calling and from where.
struct PulseRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer address of the connection (no proxy headers are trusted).
    let remoteAddress: SocketAddress?
    /// What the credentials on this request established; set by `AuthenticationMiddleware`.
    var authentication: Authentication = .anonymous
    /// The `pulse_session` cookie when the caller is authenticated by a browser session.
    var sessionID: String?
    /// Where a WebSocket upgrade stores its handler (hummingbird-websocket's contract).
    let webSocket = WebSocketHandlerReference<PulseRequestContext>()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client IP as a string for rate limiting and audit, `unknown` when there is no peer.
    var clientIP: String {
        remoteAddress?.ipAddress ?? "unknown"
    }

    /// True when the peer is on the loopback interface.
    var isLoopback: Bool {
        guard let ip = remoteAddress?.ipAddress else { return false }
        return ip == "::1" || ip.hasPrefix("127.") || ip.hasPrefix("::ffff:127.")
    }
}

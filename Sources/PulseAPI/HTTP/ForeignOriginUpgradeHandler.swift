package import NIOCore
package import NIOHTTP1

/// Keeps a WebSocket upgrade from a page of a foreign origin (`WebSocketOriginPolicy`) from
/// being performed: its `Upgrade` header is dropped, so the request reaches the router as a
/// plain GET, and the WebSocket route answers 403 with the usual error body and headers.
/// (Refused inside the upgrade itself, the client would only get an empty 400.)
///
/// An upgrade can only be a connection's first request, so the handler leaves the pipeline
/// after the first head.
package final class ForeignOriginUpgradeHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPServerRequestPart
    package typealias InboundOut = HTTPServerRequestPart

    private let policy: WebSocketOriginPolicy

    package init(policy: WebSocketOriginPolicy) {
        self.policy = policy
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if head.headers.contains(name: "upgrade"),
            !policy.allows(origin: head.headers.first(name: "origin"), host: head.headers.first(name: "host"))
        {
            head.headers.remove(name: "upgrade")
            context.fireChannelRead(wrapInboundOut(.head(head)))
        } else {
            context.fireChannelRead(data)
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

package import NIOCore
package import NIOHTTP1

/// Closes a connection whose first request head has not completely arrived `timeout` after
/// the connection was accepted: a client that trickles a header line every few seconds (slow
/// loris) or says nothing at all holds a descriptor only that long.
///
/// It sits right after the HTTP decoder and leaves the pipeline once the first head has passed.
/// From then on Hummingbird's idle timeout closes a kept-alive connection that stays silent; and
/// a WebSocket upgrade, which can only be the first request, is never touched.
///
/// `proceed` succeeds with true when the head arrived in time, with false when the connection
/// closed or timed out before (another guard may have completed it already).
package final class RequestHeadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPServerRequestPart
    package typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private let proceed: EventLoopPromise<Bool>
    private var deadline: Scheduled<Void>?

    package init(timeout: TimeAmount, proceed: EventLoopPromise<Bool>) {
        self.timeout = timeout
        self.proceed = proceed
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    package func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        disarm()
        proceed.succeed(true)
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        disarm()
        proceed.succeed(false)
        context.fireChannelInactive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        proceed.succeed(false)  // no-op when the head already came
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.deadline = nil
            self.proceed.succeed(false)
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

package import NIOCore

/// The first handler of every connection: asks `ConnectionAdmission` for a slot when the
/// connection becomes active and closes it at once when refused; an admitted connection gives
/// its slot back when it closes.
///
/// A refused connection completes `proceed` with false, so no HTTP work is started for it.
package final class ConnectionAdmissionHandler: ChannelInboundHandler {
    package typealias InboundIn = ByteBuffer

    private let admission: ConnectionAdmission
    private let proceed: EventLoopPromise<Bool>
    private var admitted: ClientAddress?
    private var decided = false

    package init(admission: ConnectionAdmission, proceed: EventLoopPromise<Bool>) {
        self.admission = admission
        self.proceed = proceed
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { _ = decide(context) }
    }

    package func channelActive(context: ChannelHandlerContext) {
        guard decide(context) else { return }
        context.fireChannelActive()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        releaseSlot()
        context.fireChannelInactive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        releaseSlot()
    }

    /// Admits or closes the connection, once; true when it may go on.
    private func decide(_ context: ChannelHandlerContext) -> Bool {
        guard !decided else { return admitted != nil }
        decided = true
        let client = ClientAddress(context.channel.remoteAddress)
        guard admission.admit(client) == .admitted else {
            proceed.succeed(false)
            context.close(promise: nil)
            return false
        }
        admitted = client
        return true
    }

    private func releaseSlot() {
        guard let client = admitted else { return }
        admitted = nil
        admission.release(client)
    }
}

package import HummingbirdCore
package import Logging
package import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP child channel with Pulse's connection guards around it: the caps on open
/// connections (`ConnectionAdmissionHandler`, first in the pipeline), the header timeout
/// (`RequestHeadTimeoutHandler`) and any other checks of the first request head, right after
/// the HTTP decoder.
///
/// A connection a guard closed before its first request head is never handed to `base`: its
/// HTTP handling would only report the early close as an error, once per connection, which
/// under a flood of sockets is a flood of log lines.
package struct GuardedHTTPChannel<Base: ServerChildChannel>: ServerChildChannel {
    package struct Value: ServerChildChannelValue {
        package let base: Base.Value
        /// True once the first request head arrived; false when a guard closed the connection.
        let proceed: EventLoopFuture<Bool>
        package var channel: any Channel { base.channel }
    }

    package let base: Base
    package let admission: ConnectionAdmission
    package let headerTimeout: TimeAmount
    /// Further handlers for the first request head, made afresh for each connection.
    package let firstRequestHandlers: @Sendable () -> [any RemovableChannelHandler]

    package init(
        base: Base, admission: ConnectionAdmission, headerTimeout: TimeAmount,
        firstRequestHandlers: @escaping @Sendable () -> [any RemovableChannelHandler]
    ) {
        self.base = base
        self.admission = admission
        self.headerTimeout = headerTimeout
        self.firstRequestHandlers = firstRequestHandlers
    }

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let proceed = channel.eventLoop.makePromise(of: Bool.self)
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionAdmissionHandler(admission: admission, proceed: proceed), position: .first)
        } catch {
            proceed.succeed(false)
            return channel.eventLoop.makeFailedFuture(error)
        }
        let guarded = base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let handlers: [any ChannelHandler] =
                [RequestHeadTimeoutHandler(timeout: headerTimeout, proceed: proceed)] + firstRequestHandlers().map { $0 as any ChannelHandler }
            try pipeline.addHandlers(handlers, position: .after(decoder))
            return Value(base: value, proceed: proceed.futureResult)
        }
        guarded.whenFailure { _ in proceed.succeed(false) }
        return guarded
    }

    package func handle(value: Value, logger: Logger) async {
        guard (try? await value.proceed.get()) == true else { return }
        await base.handle(value: value.base, logger: logger)
    }
}

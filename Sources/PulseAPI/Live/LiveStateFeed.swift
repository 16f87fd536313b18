import AgentProtocol
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
package import PulseCore

/// Pushes the state to WebSocket clients as `{"type":"rawData","data":<state>}`.
///
/// Every change wakes the clients, but each client is sent at most one message per
/// `minimumInterval` and only ever the newest document: a client's pending work is one flag, not
/// a queue, so a slow client cannot make the server hold more. A client whose socket accepts
/// nothing for `sendTimeout` is disconnected. The message is `StateDocuments`' shared bytes, the
/// same storage for every client and for `/api/state`, written without a copy; to a client that
/// negotiated permessage-deflate (`LiveFeedDeflate`), the document's one compression.
package final class LiveStateFeed: Sendable {
    private let changes: StateChanges
    private let documents: StateDocuments
    package let minimumInterval: Duration
    package let sendTimeout: Duration
    /// The largest message a client may send (none is needed; the feed reads only to see it go).
    static let maximumInboundMessage = 64 * 1024

    package init(
        changes: StateChanges, documents: StateDocuments, minimumInterval: Duration = .seconds(1), sendTimeout: Duration = .seconds(10)
    ) {
        self.changes = changes
        self.documents = documents
        self.minimumInterval = minimumInterval
        self.sendTimeout = sendTimeout
    }

    /// The current state as a message (the shared document).
    package func message() async throws -> EncodedState {
        try await documents.document(for: nil)
    }

    /// Serves one client until it disconnects, is too slow, or the server shuts down.
    /// `compressing`: the client negotiated permessage-deflate (`LiveFeedDeflate.isNegotiated`).
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, compressing: Bool, logger: Logger) async {
        let updates = changes.subscribe()
        let clock = ContinuousClock()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Reading keeps control frames flowing and tells us when the client leaves.
                do { for try await _ in inbound.messages(maxSize: Self.maximumInboundMessage) {} } catch {}
            }
            group.addTask {
                do {
                    var sent = try await self.message()
                    try await self.send(sent, compressed: compressing, outbound: outbound)
                    var lastSent = clock.now
                    for await _ in updates {
                        // The shared document may lag the change by up to `maxStaleness`; until a
                        // newer one is built, look again every interval rather than resend it.
                        while true {
                            let due = lastSent.advanced(by: self.minimumInterval)
                            if clock.now < due { try await Task.sleep(until: due, clock: clock) }
                            lastSent = clock.now
                            let document = try await self.message()
                            guard document !== sent else { continue }
                            try await self.send(document, compressed: compressing, outbound: outbound)
                            sent = document
                            break
                        }
                    }
                } catch is SendTimeout {
                    logger.notice("live client dropped: not reading its socket")
                } catch {
                    // Cancelled (client gone or shutdown) or the socket failed: either way, done.
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private struct SendTimeout: Error {}

    private func send(_ document: EncodedState, compressed: Bool, outbound: WebSocketOutboundWriter) async throws {
        let frame =
            compressed
            ? WebSocketFrame(fin: true, rsv1: true, opcode: .text, data: await document.compressed().messagePayload)
            : WebSocketFrame(fin: true, opcode: .text, data: document.message)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await outbound.write(.custom(frame)) }
            group.addTask {
                try await Task.sleep(for: self.sendTimeout)
                throw SendTimeout()
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

/// `GET /ws`: the live state feed (`monitoring:read`).
package struct LiveRoutes {
    package let feed: LiveStateFeed

    package func register(on routes: ScopedRouter) {
        routes.webSocket("/ws", access: .scope(.monitoringRead)) { inbound, outbound, context in
            let logger = context.requestContext.logger
            let compressing = LiveFeedDeflate.isNegotiated(by: context.request.headers)
            logger.info("live client connected", metadata: ["compression": compressing ? "permessage-deflate" : "none"])
            await feed.serve(inbound: inbound, outbound: outbound, compressing: compressing, logger: logger)
            logger.info("live client disconnected")
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(feed: LiveStateFeed) {
        self.feed = feed
    }
}

import AgentProtocol
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
package import PulseCore

/// Pushes the state to WebSocket clients as `{"type":"rawData","data":<state>}`.
///
/// Every change wakes the clients, but each client is sent at most one message per
/// `minimumInterval` and only ever the newest state: a client's pending work is one flag, not a
/// queue, so a slow client cannot make the server hold more. A client whose socket accepts
/// nothing for `sendTimeout` is disconnected. The encoded message is shared by all clients.
package actor LiveStateFeed {
    private let state: MonitoringState
    private let changes: StateChanges
    package let minimumInterval: Duration
    package let sendTimeout: Duration
    private var cached: (version: UInt64, text: String)?

    package init(state: MonitoringState, changes: StateChanges, minimumInterval: Duration = .seconds(1), sendTimeout: Duration = .seconds(10)) {
        self.state = state
        self.changes = changes
        self.minimumInterval = minimumInterval
        self.sendTimeout = sendTimeout
    }

    private struct Message: Encodable {
        let type = "rawData"
        let data: StateSnapshot
    }

    /// The current state as a message, encoded once per state version.
    package func message() async throws -> String {
        let version = changes.current
        if let cached, cached.version == version { return cached.text }
        let snapshot = await state.snapshot()
        let text = String(decoding: try JSONBody.makeEncoder().encode(Message(data: snapshot)), as: UTF8.self)
        cached = (version, text)
        return text
    }

    /// Serves one client until it disconnects, is too slow, or the server shuts down.
    nonisolated func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let updates = changes.subscribe()
        let clock = ContinuousClock()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Reading keeps control frames flowing and tells us when the client leaves.
                do { for try await _ in inbound.messages(maxSize: 64 * 1024) {} } catch {}
            }
            group.addTask {
                do {
                    try await self.send(outbound: outbound)
                    var lastSent = clock.now
                    for await _ in updates {
                        let due = lastSent.advanced(by: self.minimumInterval)
                        if clock.now < due { try await Task.sleep(until: due, clock: clock) }
                        try await self.send(outbound: outbound)
                        lastSent = clock.now
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

    private nonisolated func send(outbound: WebSocketOutboundWriter) async throws {
        let text = try await message()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await outbound.write(.text(text)) }
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
            logger.info("live client connected")
            await feed.serve(inbound: inbound, outbound: outbound, logger: logger)
            logger.info("live client disconnected")
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(feed: LiveStateFeed) {
        self.feed = feed
    }
}

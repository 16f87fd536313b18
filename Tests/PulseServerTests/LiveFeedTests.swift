import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Synchronization
import Testing
import WSClient

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("GET /ws: live state over WebSocket")
struct LiveFeedTests {
    /// Messages a client received: when each arrived and how many hosts it showed.
    final class Received: Sendable {
        let messages = Mutex<[(at: ContinuousClock.Instant, hosts: Int)]>([])
        let postingTook = Mutex<Duration>(.zero)
        var count: Int { messages.withLock { $0.count } }
    }

    @Test func clientGetsTheStateThenCoalescedChanges() async throws {
        try await TestServer.with(configure: { $0.liveUpdateInterval = .milliseconds(300) }) { server, _ in
            try await server.app.application.test(.live) { client in
                let token = try await server.token(scopes: ["host-agent:report"])
                let received = Received()
                // Whole states exceed the client default of 16 KiB per frame.
                let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: [.apiToken: TestServer.adminToken])
                try await client.ws("/ws", configuration: configuration) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                    let first = try #require(try await messages.next())
                    let initial = try Self.decode(first)
                    #expect(initial["type"] as? String == "rawData")
                    #expect(((initial["data"] as? [String: Any])?["hosts"] as? [Any])?.isEmpty == true)
                    let firstArrival = ContinuousClock.now
                    received.messages.withLock { $0.append((firstArrival, 0)) }

                    let postingStarted = ContinuousClock.now
                    for index in 0..<20 {
                        let body = AgentPayloads.host(hostname: "h\(index)", agentID: "a\(index)")
                        do {
                            let response = try await client.post("/api/agents/host/report", token: token, body: body)
                            #expect(response.status == .ok)
                        } catch {
                            Issue.record("post \(index): \(error)")
                            throw error
                        }
                    }
                    received.postingTook.withLock { $0 = ContinuousClock.now - postingStarted }
                    // Read until the last report shows up; every message is the newest whole state.
                    while let message = try await messages.next() {
                        let body = try Self.decode(message)
                        let hosts = ((body["data"] as? [String: Any])?["hosts"] as? [[String: Any]] ?? []).count
                        let arrived = ContinuousClock.now
                        received.messages.withLock { $0.append((arrived, hosts)) }
                        if hosts == 20 { break }
                    }
                    do { try await outbound.close(.normalClosure, reason: nil) } catch { Issue.record("close: \(error)") }
                }
                #expect(received.count >= 2, "the initial state and at least one update")
                // At most one update per 300 ms while posting, plus the one that carries the last change.
                let allowed = Int(received.postingTook.withLock { $0 } / .milliseconds(300)) + 2
                #expect(received.count - 1 <= allowed, "20 changes were coalesced into \(received.count - 1) updates")
            }
        }
    }

    @Test func upgradeWithoutCredentialsIsRefused() async throws {
        try await TestServer.with { server, _ in
            try await server.app.application.test(.live) { client in
                await #expect(throws: (any Error).self) {
                    try await client.ws("/ws") { _, _, _ in
                        Issue.record("an anonymous client was upgraded")
                    }
                }
                let reportOnly = try await server.token(scopes: ["host-agent:report"])
                await #expect(throws: (any Error).self) {
                    try await client.ws("/ws", configuration: .init(additionalHeaders: [.apiToken: reportOnly])) { _, _, _ in
                        Issue.record("a token without monitoring:read was upgraded")
                    }
                }
            }
        }
    }

    static func decode(_ message: WebSocketMessage) throws -> [String: Any] {
        guard case .text(let text) = message else { throw DecodeFailure() }
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    struct DecodeFailure: Error {}
}

@Suite("GET /ws: clients that stop reading")
struct SlowLiveClientTests {
    /// A WebSocket client that completes the handshake and then never reads a byte.
    final class StalledClient {
        let socket: Int32

        init(port: Int, token: String) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            // A tiny receive buffer, so the server's writes back up quickly.
            var small: Int32 = 4096
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            let handshake = WebSocketWire.upgradeRequest(port: port, token: token)
            _ = handshake.withCString { send(socket, $0, strlen($0), 0) }
        }

        deinit { close(socket) }
    }

    @Test func aClientThatStopsReadingIsDisconnectedAndFreesItsSubscription() async throws {
        try await TestServer.with(configure: {
            $0.liveUpdateInterval = .milliseconds(5)
            $0.liveSendTimeout = .milliseconds(500)
        }) { server, _ in
            try await server.app.application.test(.live) { client in
                let token = try await server.token(scopes: ["host-agent:report"])
                // A large state makes every message big.
                for index in 0..<150 {
                    _ = try await client.post(
                        "/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "h\(index)", agentID: "a\(index)"))
                }
                let changes = server.dependencies.state.changes
                let stalled = try StalledClient(port: try #require(client.port), token: TestServer.adminToken)
                var sawSubscriber = false
                var dropped = false
                // Keep the state changing; wait (bounded) for the subscription to appear and then vanish.
                for round in 0..<400 where !dropped {
                    _ = try await client.post(
                        "/api/agents/host/report", token: token,
                        body: AgentPayloads.host(hostname: "h0", agentID: "a0", sequence: "round-\(round)"))
                    if changes.subscriberCount > 0 { sawSubscriber = true }
                    dropped = sawSubscriber && changes.subscriberCount == 0
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(sawSubscriber, "the stalled client was upgraded")
                #expect(dropped, "the stalled client was disconnected")
                withExtendedLifetime(stalled) {}
            }
        }
    }
}

import CurlHTTP
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Live servers on loopback: 127.0.0.1 is the well-behaved client (a fresh connection for each
/// request), 127.0.0.2 and 127.0.0.3 the clients that hold sockets.
@Suite("Connections: caps per client and in total, header and idle timeouts", .serialized)
struct ConnectionGuardTests {
    /// What a slow-loris client sends: a request head without its closing blank line.
    static let partialHead = "GET /api/health HTTP/1.1\r\nHost: pulse\r\nX-Padding: "

    /// Opens `count` sockets from `source` at once, each sending a partial head.
    static func hold(_ count: Int, from source: String, port: Int) async throws -> [Int32] {
        try await BlockingThread.run {
            let sockets = RawSocket.connectMany(count, from: source, port: port, within: .seconds(10))
            for fd in sockets { RawSocket.send(fd, partialHead) }
            return sockets
        }
    }

    static func closedCount(_ sockets: [Int32]) -> Int { RawSocket.closedByPeer(sockets).filter { $0 }.count }

    /// Polls `condition` every 50 ms until it holds or `limit` has passed; whether it held.
    static func eventually(within limit: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// Polls `progress` every 50 ms until it reaches `goal`; gives up only when it has not moved for
    /// `stall` (or `limit` has passed in all). Whether it reached the goal. For work whose pace follows
    /// the machine's load (a 2-core CI box running podman and a kube-apiserver beside this test), where
    /// a fixed deadline fails a server that is slow but still working through its queue.
    static func eventually(reach goal: Int, stallingAfter stall: Duration, within limit: Duration, _ progress: () -> Int) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        var best = progress()
        var lastMove = ContinuousClock.now
        while best < goal {
            let now = ContinuousClock.now
            if now >= deadline || now - lastMove >= stall { return false }
            try await Task.sleep(for: .milliseconds(50))
            let current = progress()
            if current > best { (best, lastMove) = (current, ContinuousClock.now) }
        }
        return true
    }

    /// Where a slow-loris flood's sockets stand: closed by the server, never reached it (their bytes
    /// unacknowledged), or held open by it.
    struct FloodCount {
        let closed: Int
        let unreached: Int
        let held: Int

        init(_ sockets: [Int32]) {
            let closedFlags = RawSocket.closedByPeer(sockets)
            let unackedFlags = RawSocket.unacknowledgedByPeer(sockets)
            closed = closedFlags.filter { $0 }.count
            unreached = zip(closedFlags, unackedFlags).filter { !$0 && $1 }.count
            held = sockets.count - closed - unreached
        }
    }

    static func milliseconds(_ duration: Duration) -> Int { Int(duration / .milliseconds(1)) }

    @Test func aSlowLorisFloodIsClosedAfterTheHeaderTimeoutWhileOtherClientsAreServed() async throws {
        OpenFileLimit.raiseToHardLimit()  // this process holds both ends of every socket
        // The flood gets an event loop of its own: on the shared ones it starved every other
        // test's server in this process (their requests waited seconds behind 2,500 accepts).
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await flood(on: loops)
        } catch {
            try? await loops.shutdownGracefully()
            throw error
        }
        try await loops.shutdownGracefully()
    }

    private func flood(on loops: MultiThreadedEventLoopGroup) async throws {
        // The flood fits the kernel's accept queue (minus room for the honest clients); past it, the
        // last sockets reach the server only when TCP retransmits them, which can take minutes.
        let acceptQueue = RawSocket.acceptQueueLimit()
        // This process holds both ends of every socket, so the flood also fits half of the descriptors
        // left (less room for the other tests running beside it). Past that the server's accepts fail
        // with EMFILE until a header timeout frees a descriptor, and the flood drains in waves: seen in
        // CI with a hard limit near 4,096, where 2,500 took 79 s and a fresh GET waited 16.5 s. The
        // server's own total cap (80 % of the limit) keeps it clear of this when clients are elsewhere.
        let descriptorsLeft = OpenFileLimit.current().soft - RawSocket.openDescriptors()
        let attempted = min(2_500, acceptQueue * 9 / 10, (descriptorsLeft - 512) / 2)
        try #require(attempted >= 1_000, "a flood of thousands needs an open-file limit of at least 3,000 (left: \(descriptorsLeft))")
        try await TestServer.with(configure: {
            $0.eventLoopGroup = loops
            $0.headerTimeout = .seconds(5)
            // Caps above the flood: this test is about the timeout (the caps have their own).
            $0.maxConnectionsPerAddress = 3_000
            $0.maxConnections = 3_500
        }) { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let token = try await server.token(scopes: ["host-agent:report"])
                let attacker = ClientAddress(bytes: [127, 0, 0, 2])

                let overflowsBefore = RawSocket.listenOverflows()
                let started = ContinuousClock.now
                let sockets = try await Self.hold(attempted, from: "127.0.0.2", port: port)
                defer { sockets.forEach { close($0) } }
                let opening = ContinuousClock.now - started
                let heldAfterOpening = sockets.count - Self.closedCount(sockets)
                #expect(sockets.count == attempted, "every attacker socket connected")

                let healthStarted = ContinuousClock.now
                // A fresh connection waits behind the flood in the accept queue: on a loaded machine
                // that can take seconds, which is measured, not failed.
                let patient = TestClient.Configuration(timeout: .seconds(60))
                let health = try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: patient) {
                    try await $0.get("/api/health")
                }
                let healthTook = ContinuousClock.now - healthStarted
                #expect(health.status == .ok)
                let reportStarted = ContinuousClock.now
                let report = try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: patient) { fresh in
                    try await fresh.post(
                        "/api/agents/host/report", headers: [.apiToken: token, .contentType: "application/json"],
                        body: ByteBuffer(string: AgentPayloads.host(hostname: "under-attack", agentID: "under-attack")))
                }
                let reportTook = ContinuousClock.now - reportStarted
                #expect(report.status == .ok, "\(String(buffer: report.body ?? ByteBuffer()))")
                let heldDuringRequests = server.app.connections.openConnections(from: attacker)

                var peakHeld = heldDuringRequests
                // Each socket's timeout starts when the server accepts it; on a loaded machine the
                // last accept can come a minute after the first connect (seen in CI: about 35 accepts a
                // second while podman and a kube-apiserver ran beside this test). So the wait fails
                // only when closing stalls for longer than the header timeout several times over.
                // Some sockets of a 2,500-socket burst count as connected on the client's side while the
                // server's kernel dropped their handshake (seen: 9, and in CI 47, of 2,500, with the
                // server's own count at 0): their partial head stays unacknowledged and only TCP's
                // retransmissions can still bring them to the accept queue. No server can close what
                // it never received, so those are counted apart ("unreached"); every socket whose bytes
                // reached the server must be closed by it.
                var last = FloodCount(sockets)
                _ = try await Self.eventually(reach: sockets.count, stallingAfter: .seconds(30), within: .seconds(300)) {
                    peakHeld = max(peakHeld, server.app.connections.openConnections(from: attacker))
                    last = FloodCount(sockets)
                    return last.closed + last.unreached
                }
                let closedAfter = ContinuousClock.now - started
                let overflowsAfter = RawSocket.listenOverflows()
                let overflows = if let overflowsBefore, let overflowsAfter { "\(overflowsAfter - overflowsBefore)" } else { "unknown" }
                #expect(last.held == 0, "\(last.held) of \(sockets.count) sockets reached the server and are still open")
                #expect(
                    last.unreached <= sockets.count / 10,
                    "\(last.unreached) of \(sockets.count) sockets never reached the server (at most 10 % may not)")
                #expect(try await Self.eventually(within: .seconds(30)) { server.app.connections.openConnections(from: attacker) == 0 })
                print(
                    """
                    slow loris (accept queue \(acceptQueue), descriptors left \(descriptorsLeft)): \(sockets.count) sockets from 127.0.0.2 opened in \(Self.milliseconds(opening)) ms, \
                    \(heldAfterOpening) open once all were connected, at most \(peakHeld) accepted and open at once (server's count); \
                    GET /api/health on a fresh connection took \(Self.milliseconds(healthTook)) ms, a host report \(Self.milliseconds(reportTook)) ms; \
                    \(last.closed) closed by the server \(Self.milliseconds(closedAfter)) ms after the first connect (header timeout 5 s), \
                    \(last.unreached) never reached it (handshake dropped by its kernel); \
                    accept-queue overflows meanwhile (whole machine): \(overflows)
                    """)
            }
        }
    }

    @Test func connectionsOverThePerClientOrTotalCapAreClosedAtOnce() async throws {
        try await TestServer.with(configure: {
            $0.maxConnectionsPerAddress = 100
            $0.maxConnections = 150
            $0.headerTimeout = .seconds(60)  // held sockets stay for the whole test
        }) { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let connections = server.app.connections
                let first = try await Self.hold(300, from: "127.0.0.2", port: port)
                defer { first.forEach { close($0) } }
                #expect(try await Self.eventually(within: .seconds(30)) { Self.closedCount(first) == 200 }, "all but the cap are closed at once")
                #expect(connections.openConnections(from: ClientAddress(bytes: [127, 0, 0, 2])) == 100)

                // Another address still gets in, on a fresh connection.
                let health = try await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/api/health") }
                #expect(health.status == .ok)

                // A third address meets the total cap: 50 more fit beside the first 100 (and the test client's one).
                let second = try await Self.hold(100, from: "127.0.0.3", port: port)
                defer { second.forEach { close($0) } }
                let secondClosed = try await Self.eventually(within: .seconds(30)) { Self.closedCount(second) >= 50 }
                #expect(secondClosed)
                #expect((48...50).contains(connections.openConnections(from: ClientAddress(bytes: [127, 0, 0, 3]))))
                #expect(connections.openConnections <= 150)
                #expect(connections.refusedConnections >= 250)

                // Once the first client lets go, its slots are free again.
                first.forEach { shutdown($0, Int32(SHUT_RDWR)) }
                #expect(
                    try await Self.eventually(within: .seconds(30)) { connections.openConnections(from: ClientAddress(bytes: [127, 0, 0, 2])) == 0 })
                let again = try await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/api/health") }
                #expect(again.status == .ok)
            }
        }
    }

    @Test func aTLSHandshakeThatNeverFinishesMeetsTheHeaderTimeout() async throws {
        try await TestCertificate.withTLSServer(configure: { $0.headerTimeout = .seconds(1) }) { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let sockets = try await BlockingThread.run { () -> [Int32] in
                    // One says nothing, one sends half a ClientHello (a TLS record header promising more).
                    let silent = RawSocket.connect(port: port)
                    let partial = RawSocket.connect(port: port)
                    if let partial { RawSocket.send(partial, "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}") }
                    return [silent, partial].compactMap { $0 }
                }
                defer { sockets.forEach { close($0) } }
                #expect(sockets.count == 2)
                #expect(try await Self.eventually(within: .seconds(30)) { Self.closedCount(sockets) == 2 }, "\(RawSocket.closedByPeer(sockets))")
                #expect(
                    try await Self.eventually(within: .seconds(30)) {
                        server.app.connections.openConnections(from: ClientAddress(bytes: [127, 0, 0, 1])) <= 1
                    })
            }
        }
    }

    @Test func aSilentConnectionMeetsTheHeaderTimeoutAndAnIdleOneTheIdleTimeout() async throws {
        try await TestServer.with(configure: {
            $0.headerTimeout = .seconds(1)
            $0.idleTimeout = .seconds(1)
        }) { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let (silent, kept) = try await BlockingThread.run { () -> (Int32?, Int32?) in
                    let silent = RawSocket.connect(port: port)
                    let kept = RawSocket.connect(port: port)
                    if let kept { RawSocket.send(kept, "GET /api/health HTTP/1.1\r\nHost: pulse\r\n\r\n") }
                    return (silent, kept)
                }
                let sockets = [try #require(silent), try #require(kept)]
                defer { sockets.forEach { close($0) } }
                let response = try await BlockingThread.run { RawSocket.readResponse(sockets[1]) }
                #expect(response.status == 200, "the kept-alive connection was served: \(response.head)")
                let started = ContinuousClock.now
                #expect(try await Self.eventually(within: .seconds(30)) { Self.closedCount(sockets) == 2 }, "\(RawSocket.closedByPeer(sockets))")
                print(
                    "silent and idle connections closed \(Self.milliseconds(ContinuousClock.now - started)) ms after the response (both timeouts 1 s)"
                )
            }
        }
    }
}

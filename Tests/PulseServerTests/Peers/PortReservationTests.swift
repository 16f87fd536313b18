import Foundation
import Glibc
import TestSupport
import Testing

/// The reservation that keeps a stopped engine's port from other tests, and the check that an
/// answer on a port came from the engine's own socket.
@Suite("A stopped peer's port reservation")
struct PortReservationTests {
    @Test func aReservedPortRefusesConnectionsAndIsNobodysListener() throws {
        let port = try PrometheusTests.freePort()
        let reservation = try #require(PortReservation(port: port))
        #expect(RawSocket.connect(port: port) == nil, "nothing listens on a reserved port")
        #expect(!PortReservation.isListening(onPort: port, heldBy: getpid()))
        reservation.release()

        let listener = try #require(PortReservation.boundLoopbackSocket(port: port), "the released port can be bound")
        defer { close(listener) }
        try #require(listen(listener, 4) == 0, "the released port can be listened on")
        // Far more than the first 4 KB of the kernel's TCP table (150 bytes a socket), wherever this one is.
        let crowd = (0..<200).map { _ in Self.listeningSocket() }
        defer { crowd.forEach { close($0) } }
        #expect(ProcFile.read("/proc/net/tcp")?.utf8.count ?? 0 > 200 * 100)
        #expect(PortReservation.isListening(onPort: port, heldBy: getpid()))
        #expect(!PortReservation.isListening(onPort: port, heldBy: getppid()), "another process does not hold it")
        let listening = PortReservation.listeningPorts(heldBy: getpid())
        let unseen = crowd.filter { !listening.contains(PortReservation.port(of: $0)) }
        #expect(unseen.isEmpty, "\(unseen.count) of \(crowd.count) listening sockets not found in the TCP table")
    }

    /// A socket listening on a kernel-chosen loopback port.
    private static func listeningSocket() -> Int32 {
        let fd = PortReservation.boundLoopbackSocket(port: 0) ?? -1
        listen(fd, 4)
        return fd
    }
}

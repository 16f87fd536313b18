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

        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(listener, 4) == 0, "the released port can be listened on")
        #expect(PortReservation.isListening(onPort: port, heldBy: getpid()))
        #expect(!PortReservation.isListening(onPort: port, heldBy: getppid()), "another process does not hold it")
    }
}

import Foundation
import Glibc

/// Keeps a loopback TCP port taken while the peer that listened on it is stopped: the socket is
/// bound but never listens, so a connection is refused exactly as with nothing bound, yet no
/// other test (tests run in parallel, many binding kernel-chosen ports) can be given the port
/// and answer in the stopped peer's place.
public final class PortReservation: @unchecked Sendable {
    private var descriptor: Int32

    /// Binds 127.0.0.1:`port` (address reuse on, so connections the peer closed, still in
    /// TIME_WAIT, do not stand in the way); nil when another socket holds it.
    public init?(port: Int) {
        guard let fd = Self.boundLoopbackSocket(port: port, reuseAddress: true) else { return nil }
        descriptor = fd
    }

    /// A TCP socket bound to 127.0.0.1:`port` (0: a port the kernel picks), not listening; nil
    /// when the bind failed.
    public static func boundLoopbackSocket(port: Int, reuseAddress: Bool = false) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var on: Int32 = 1
        if reuseAddress { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Frees the port for the peer to listen on again.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    /// The local port a socket is bound to (0 when it cannot be read).
    public static func port(of socket: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port free at this moment (the kernel's pick for a socket bound and closed at
    /// once): another test may still take it before the caller binds it.
    public static func freePort() -> Int {
        guard let socket = boundLoopbackSocket(port: 0) else { return 0 }
        defer { close(socket) }
        return port(of: socket)
    }

    /// Whether process `pid` holds the socket listening on 127.0.0.1:`port` (the kernel's TCP
    /// table and the process's descriptors): an answer on a port proves nothing about who gave it.
    public static func isListening(onPort port: Int, heldBy pid: Int32) -> Bool {
        listeningPorts(heldBy: pid).contains(port)
    }

    /// The loopback ports on which process `pid` holds a listening socket (one read of the TCP table).
    public static func listeningPorts(heldBy pid: Int32) -> Set<Int> {
        guard let table = ProcFile.read("/proc/net/tcp"),
            let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return [] }
        let held = Set(descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") })
        var ports: Set<Int> = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] == "0A", fields[1].hasPrefix("0100007F:"), held.contains("socket:[\(fields[9])]"),
                let port = Int(fields[1].dropFirst("0100007F:".count), radix: 16)
            else { continue }
            ports.insert(port)
        }
        return ports
    }
}

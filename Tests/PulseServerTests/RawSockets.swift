import Foundation
import Glibc
import TestSupport

/// Plain blocking POSIX TCP sockets, for what an HTTP client hides: a chosen source address, a
/// request head that never ends, and the moment the server closes. Call these from a
/// `BlockingThread`, never on Swift concurrency's few threads.
enum RawSocket {
    /// The kernel's cap on a listening socket's accept queue (`net.core.somaxconn`); 4,096 when unreadable.
    /// Connections past it complete on the client's side (SYN cookies) but reach the server only as
    /// TCP retransmits it, seconds to minutes later: a flood larger than this measures the kernel.
    static func acceptQueueLimit() -> Int {
        guard let text = ProcFile.read("/proc/sys/net/core/somaxconn"),
            let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return 4_096 }
        return value
    }

    /// How many descriptors this process has open now (entries in /proc/self/fd).
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// The kernel's count of connections dropped because an accept queue was full (`ListenOverflows`
    /// in /proc/net/netstat), for reports; nil when unreadable.
    static func listenOverflows() -> Int? {
        guard let text = ProcFile.read("/proc/net/netstat") else { return nil }
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("TcpExt:") }.map { $0.split(separator: " ") }
        guard rows.count == 2, let column = rows[0].firstIndex(of: "ListenOverflows"), column < rows[1].count else { return nil }
        return Int(rows[1][column])
    }

    /// A socket bound to `source` and connected to `destination:port`; nil when that failed.
    static func connect(from source: String = "127.0.0.1", to destination: String = "127.0.0.1", port: Int, receiveTimeout: Duration = .seconds(5))
        -> Int32?
    {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var local = address(source, port: 0)
        var remote = address(destination, port: port)
        var timeout = timeval(tv_sec: Int(receiveTimeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Connects `count` sockets from `source` at once (non-blocking, as a flooding client would:
    /// one connect waiting for a full accept queue does not hold up the others); returns those
    /// connected within `limit`, still non-blocking, and closes the rest.
    static func connectMany(_ count: Int, from source: String, to destination: String = "127.0.0.1", port: Int, within limit: Duration) -> [Int32] {
        var local = address(source, port: 0)
        var remote = address(destination, port: port)
        var pending: [Int32] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { break }
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            let started = withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, started == 0 || errno == EINPROGRESS else {
                close(fd)
                continue
            }
            pending.append(fd)
        }
        var connected: [Int32] = []
        let deadline = ContinuousClock.now + limit
        while !pending.isEmpty, ContinuousClock.now < deadline {
            var polls = pending.map { pollfd(fd: $0, events: Int16(POLLOUT), revents: 0) }
            _ = poll(&polls, nfds_t(polls.count), 100)
            var still: [Int32] = []
            for entry in polls {
                guard entry.revents != 0 else {
                    still.append(entry.fd)
                    continue
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(entry.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error == 0 { connected.append(entry.fd) } else { close(entry.fd) }
            }
            pending = still
        }
        pending.forEach { close($0) }
        return connected
    }

    /// A socket that has asked `path` for server-sent events with `token`; nil when connecting
    /// or sending the request failed. The caller closes it.
    static func requestEventStream(port: Int, path: String, token: String) -> Int32? {
        guard let fd = connect(port: port, receiveTimeout: .seconds(20)) else { return nil }
        guard send(fd, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\nX-API-Token: \(token)\r\n\r\n") else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Writes `text` without raising SIGPIPE when the server has already closed; false on failure.
    @discardableResult
    static func send(_ fd: Int32, _ text: String) -> Bool {
        send(fd, bytes: Array(text.utf8))
    }

    /// Writes `bytes` without raising SIGPIPE when the server has already closed; false on failure.
    @discardableResult
    static func send(_ fd: Int32, bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// For each socket, whether bytes it sent are still unacknowledged by the other end's kernel: a
    /// connection the client counts as open whose handshake the server's kernel dropped (a burst past
    /// its SYN or accept queue) and that only TCP's retransmissions may still complete. No server
    /// process has seen such a socket, so none can close it.
    static func unacknowledgedByPeer(_ fds: [Int32]) -> [Bool] {
        fds.map { fd in
            var info = tcp_info()
            var length = socklen_t(MemoryLayout<tcp_info>.size)
            guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &length) == 0 else { return false }
            return info.tcpi_unacked > 0
        }
    }

    /// For each socket, whether the server has closed it (end of stream or reset), without waiting.
    static func closedByPeer(_ fds: [Int32]) -> [Bool] {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        _ = poll(&polls, nfds_t(polls.count), 0)
        return zip(fds, polls).map { fd, entry in
            guard entry.revents != 0 else { return false }
            var byte: UInt8 = 0
            return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) <= 0
        }
    }

    /// Reads until the server closes, `limit` bytes, or the receive timeout.
    static func readAll(_ fd: Int32, limit: Int = 1 << 20) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16384)
        while data.count < limit {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads one HTTP response head and, when it names a length, its body.
    static func readResponse(_ fd: Int32) -> (status: Int, head: String, body: String) {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while !data.ends(with: Array("\r\n\r\n".utf8)), recv(fd, &byte, 1, 0) == 1 { data.append(byte) }
        let head = String(decoding: data, as: UTF8.self)
        let status = head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let length =
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return (status, head, String(decoding: read(fd, count: length), as: UTF8.self))
    }

    /// Reads `count` bytes; fewer when the server closes or the receive timeout passes first.
    static func read(_ fd: Int32, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + received, count - received, 0) }
            guard got > 0 else { break }
            received += got
        }
        return Array(bytes[0..<received])
    }

    private static func address(_ text: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(text)
        return address
    }
}

extension Array where Element: Equatable {
    fileprivate func ends(with suffix: [Element]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

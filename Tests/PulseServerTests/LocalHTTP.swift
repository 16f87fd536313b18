import CurlHTTP
import Foundation
import Glibc
import Synchronization

/// One HTTP/1.1 request from a chosen source address (any of 127.0.0.0/8, or this host's own
/// address), for tests of who counts as "this machine". Each call without a `source` takes a
/// fresh loopback address, so per-address rate limits (3 recovery requests in 10 minutes) do not
/// get in the way of the test.
enum LocalHTTP {
    struct Reply: Sendable {
        let status: Int
        let head: String
        let body: String

        func field<T>(_ name: String, as type: T.Type) -> T? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?[name] as? T
        }
    }

    private static let next = Mutex(0)

    /// A loopback address no earlier call used: 127.0.100.1, 127.0.100.2, …
    static func freshSource() -> String {
        next.withLock { count in
            count += 1
            return "127.0.\(100 + count / 250).\(1 + count % 250)"
        }
    }

    static func send(
        _ method: String, _ path: String, port: Int, from source: String? = nil, to destination: String = "127.0.0.1",
        host: String? = nil, headers: [String: String] = [:], body: String? = nil
    ) async throws -> Reply {
        let source = source ?? freshSource()
        return try await BlockingThread.run {
            // A generous wait for the reply: hundreds of tests share two cores, and a loaded
            // machine has answered after more than the socket's default 5 s.
            guard let fd = RawSocket.connect(from: source, to: destination, port: port, receiveTimeout: .seconds(30)) else {
                return Reply(status: 0, head: "no connection", body: "")
            }
            defer { close(fd) }
            var lines = ["\(method) \(path) HTTP/1.1", "Host: \(host ?? "\(destination):\(port)")", "Connection: close"]
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
            if let body {
                lines.append("Content-Type: application/json")
                lines.append("Content-Length: \(body.utf8.count)")
            } else if method != "GET" {
                lines.append("Content-Length: 0")
            }
            RawSocket.send(fd, lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? ""))
            let response = RawSocket.readResponse(fd)
            return Reply(status: response.status, head: response.head, body: response.body)
        }
    }

    /// This host's first IPv4 address that is not loopback, if it has one.
    static let nonLoopbackAddress: String? = {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count))
            let text = String(cString: buffer)
            if !text.hasPrefix("127.") { return text }
        }
        return nil
    }()
}

import CurlHTTP
import Glibc
import Testing

@Suite("CurlClient: what it refuses to send")
struct HeaderLineTests {
    /// A listening socket on loopback that never accepts by itself: a connection attempt shows up
    /// as a pending connection.
    final class Listener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound, fcntl(fd, F_SETFL, O_NONBLOCK) == 0 else {
                close(fd)
                throw CancellationError()
            }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        /// Whether anyone connected, without waiting.
        var wasContacted: Bool {
            let client = accept(fd, nil, nil)
            if client >= 0 { close(client) }
            return client >= 0
        }

        deinit { close(fd) }
    }

    @Test(arguments: ["X-Note: a\r\nX-Injected: 1", "X-Note: a\nX-Injected: 1", "X-Note: a\rb", "X-Note: a\0b", "X-Injected: 1\r\n"])
    func aHeaderLineWithALineBreakOrNULIsRefusedBeforeConnecting(_ header: String) async throws {
        let listener = try Listener()
        let client = CurlClient(timeout: .seconds(2), connectTimeout: .seconds(1))
        let error = await #expect(throws: TransportError.self) {
            _ = try await client.post("http://127.0.0.1:\(listener.port)/hook", headers: ["Content-Type: text/plain", header], body: [])
        }
        #expect(error?.description.contains("line break") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("Injected: 1") == false, "the error names the header, never its value")
        #expect(!listener.wasContacted, "nothing was sent")
    }

    @Test func aUserAgentOrMethodWithALineBreakIsRefused() async throws {
        let listener = try Listener()
        var client = CurlClient(timeout: .seconds(2), connectTimeout: .seconds(1))
        client.userAgent = "pulse\r\nX-Injected: 1"
        await #expect(throws: TransportError.self) { _ = try await client.get("http://127.0.0.1:\(listener.port)/", headers: []) }
        client.userAgent = "pulse"
        await #expect(throws: TransportError.self) {
            _ = try await client.send("PUT / HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET", "http://127.0.0.1:\(listener.port)/", headers: [], body: [])
        }
        #expect(!listener.wasContacted)
    }

    @Test func anEmailAddressWithALineBreakIsRefusedBeforeConnecting() async throws {
        let listener = try Listener()
        for (from, to) in [("pulse@example.com\r\nRCPT TO:<victim@example.com>", "ops@example.com"), ("pulse@example.com", "ops@example.com\nDATA")] {
            let error = await #expect(throws: TransportError.self) {
                try await CurlSMTP(timeout: .seconds(2)).send(
                    url: "smtp://127.0.0.1:\(listener.port)", username: nil, password: nil, from: from, to: [to], message: Array("hi".utf8),
                    requireTLS: false)
            }
            #expect(error?.description.contains("line break") == true, "\(error?.description ?? "")")
        }
        #expect(!listener.wasContacted)
    }
}

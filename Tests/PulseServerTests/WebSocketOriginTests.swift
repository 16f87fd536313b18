import CurlHTTP
import Foundation
import Glibc
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("GET /ws: which pages may open the live feed")
struct WebSocketOriginTests {
    /// Source addresses, one per upgrade: the WebSocket rate limit (5 a minute per address)
    /// would otherwise answer 429 before the test has tried every origin.
    static let sources = Mutex(10)

    /// Sends a WebSocket upgrade for `/ws` with the admin token and `origin`; the answer's status and body.
    static func upgrade(port: Int, origin: String?, host: String? = nil) async throws -> (status: Int, body: String) {
        let source = sources.withLock { next in
            defer { next += 1 }
            return "127.0.0.\(next)"
        }
        return try await BlockingThread.run {
            // 30 s: in the whole parallel run a first answer took longer than the 5 s default.
            guard let fd = RawSocket.connect(from: source, port: port, receiveTimeout: .seconds(30)) else { return (0, "no connection") }
            defer { close(fd) }
            RawSocket.send(fd, WebSocketWire.upgradeRequest(port: port, host: host, origin: origin))
            let response = RawSocket.readResponse(fd)
            return (response.status, response.body)
        }
    }

    @Test func anOriginAllowedInTheSettingsMayUpgradeAtOnce() async throws {
        try await TestServer.with { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let before = try await Self.upgrade(port: port, origin: "https://dash.example")
                #expect(before.status == 403, "\(before.status) \(before.body.prefix(200))")
                let updated = try await client.execute(
                    uri: "/api/system/settings/update", method: .post,
                    headers: [.apiToken: TestServer.adminToken, .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"allowedOrigins": "https://dash.example"}"#))
                #expect(updated.status == .ok)
                #expect(try await Self.upgrade(port: port, origin: "https://dash.example").status == 101, "no restart needed")
                #expect(try await Self.upgrade(port: port, origin: "https://evil.example").status == 403)
            }
        }
    }

    @Test func onlyTheServersOwnPublicAndAllowedOriginsMayUpgrade() async throws {
        try await TestServer.with(configure: {
            $0.publicURL = "https://pulse.example.com/monitor/"
            $0.allowedOrigins = ["https://grafana.example.com:3000"]
        }) { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                for origin in [
                    nil, "http://127.0.0.1:\(port)", "HTTP://127.0.0.1:\(port)", "https://pulse.example.com", "https://grafana.example.com:3000",
                    "ws://localhost",  // swift-websocket's client names the URL it connects to; no page has a ws: origin
                ] {
                    let answer = try await Self.upgrade(port: port, origin: origin)
                    #expect(answer.status == 101, "Origin \(origin ?? "none") was refused: \(answer.status) \(answer.body)")
                }
                for origin in [
                    "https://evil.example", "null", "https://127.0.0.1:\(port)", "http://127.0.0.1:\(port + 1)", "https://grafana.example.com",
                    "http://pulse.example.com", "http://127.0.0.1:\(port).evil.example", "chrome-extension://abcdef",
                ] {
                    let answer = try await Self.upgrade(port: port, origin: origin)
                    #expect(answer.status == 403, "Origin \(origin) was not refused: \(answer.status)")
                    let body = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
                    #expect(body?["code"] as? String == "forbidden", "\(answer.body)")
                    #expect((body?["details"] as? [String: String])?["field"] == "Origin")
                }
                // The page's own origin is the Host the request named, as a proxy passes it on.
                #expect(try await Self.upgrade(port: port, origin: "http://pulse.lan:8080", host: "pulse.lan:8080").status == 101)
                #expect(try await Self.upgrade(port: port, origin: "http://pulse.lan:8080", host: "other.lan:8080").status == 403)
            }
        }
    }

    @Test func originsParseAsBrowsersSendThem() {
        #expect(WebOrigin("https://Pulse.Example.com")?.description == "https://pulse.example.com")
        #expect(WebOrigin("https://pulse.example.com:443") == WebOrigin("https://pulse.example.com"))
        #expect(WebOrigin("http://[::1]:7655")?.host == "[::1]")
        #expect(WebOrigin(url: "https://pulse.example.com:8443/path?q") == WebOrigin("https://pulse.example.com:8443"))
        for invalid in [
            "null", "pulse.example.com", "ftp://pulse", "https://user@pulse", "https://pulse/path", "https://pulse:99999", "https://pulse:+80",
            "https://",
        ] {
            #expect(WebOrigin(invalid) == nil, "\(invalid)")
        }
        let policy = WebSocketOriginPolicy(usesTLS: true, publicURL: nil, allowedOrigins: [])
        #expect(policy.allows(origin: "https://pulse.lan", host: "pulse.lan"))
        #expect(!policy.allows(origin: "http://pulse.lan", host: "pulse.lan"), "a TLS server's own origin is https")
        #expect(WebSocketOriginPolicy(usesTLS: false, publicURL: nil, allowedOrigins: ["*"]).allows(origin: "https://any.example", host: "pulse"))
    }
}

import CurlHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Security headers: CSP and HSTS")
struct SecurityHeadersTests {
    @Test func connectionsAreAllowedToThisOriginOnly() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/health", method: .get) { response in
                let policy = try #require(response.headers[.contentSecurityPolicy])
                let connect = policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("connect-src") }
                #expect(connect == ["connect-src 'self'"], "ws: and wss: would let a script reach any WebSocket server: \(policy)")
                #expect(response.headers[.strictTransportSecurity] == nil, "no HSTS over plain HTTP")
            }
        }
    }

    @Test func everyResponseOverTLSCarriesHSTS() async throws {
        try await TestCertificate.withTLSServer { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let curl = CurlClient(timeout: .seconds(10), tls: TLSSettings(insecure: true))
                for path in ["/api/health", "/api/state", "/no/such/route", "/"] {
                    let reply = try await curl.get("https://127.0.0.1:\(port)\(path)", headers: [])
                    #expect(reply.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains", "\(path) (\(reply.status))")
                }
            }
        }
    }
}

import CurlHTTP
import Foundation
import Logging
import Synchronization
import Testing

@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// Proxy sign-in through Debian's real nginx, configured as an operator would: nginx sets the
/// shared secret and the user and role headers with `proxy_set_header`, and only its address
/// (127.0.0.2) is a trusted proxy.
@Suite("Proxy sign-in behind a real nginx")
struct NginxProxyAuthTests {
    static let secret = "nginx-shared-secret-7f3a9c2e41"

    /// Every log line the server writes, at trace level, rendered with its metadata.
    final class LogLines: LogHandler, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.withLock { $0.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })") }
        }
    }

    static let routes: [NginxProxy.Route] = [
        .init(prefix: "/admin", headers: ["X-Proxy-Secret": secret, "Remote-User": "ada", "Remote-Groups": "users|admin"]),
        .init(prefix: "/viewer", headers: ["X-Proxy-Secret": secret, "Remote-User": "vic", "Remote-Groups": "users|readers"]),
        .init(prefix: "/wrong-secret", headers: ["X-Proxy-Secret": "not-" + secret, "Remote-User": "ada", "Remote-Groups": "admin"]),
    ]

    @Test(.timeLimit(.minutes(5)))
    func adminsChangeViewersReadWrongSecretsAndDirectHeadersAreRefusedAndTheSecretIsNeverLogged() async throws {
        let logs = LogLines()
        let configure: (inout ServerConfiguration) -> Void = {
            $0.trustedProxies = try! TrustedProxies(parsing: NginxProxy.address)
            $0.proxyAuthentication = ProxyAuthentication(
                secret: ProxySecret(Self.secret), userHeader: .init("Remote-User")!, roleHeader: .init("Remote-Groups")!,
                logoutURL: "https://auth.example.com/logout")
        }
        try await TestServer.live(configure: configure, logHandler: logs) { server, liveClient in
            let port = try #require(liveClient.port)
            try await NginxProxy.with(upstreamPort: port, routes: Self.routes) { nginx in
                let curl = nginx.client
                let json = ["Content-Type: application/json"]
                let newToken = Array(#"{"name":"through nginx","scopes":["monitoring:read"]}"#.utf8)

                let adminWrite = try await curl.post("http://nginx/admin/api/security/tokens", headers: json, body: newToken)
                #expect(adminWrite.status == 200, "admin write: \(adminWrite.status) \(Self.text(adminWrite)) \(nginx.errorLog)")

                let viewerWrite = try await curl.post("http://nginx/viewer/api/security/tokens", headers: json, body: newToken)
                #expect(viewerWrite.status == 403 && Self.code(viewerWrite) == "read_only_role", "viewer write: \(Self.text(viewerWrite))")
                let viewerRead = try await curl.get("http://nginx/viewer/api/state", headers: [])
                #expect(viewerRead.status == 200, "viewer read: \(Self.text(viewerRead))")

                let wrongSecret = try await curl.get("http://nginx/wrong-secret/api/state", headers: [])
                #expect(wrongSecret.status == 401 && Self.code(wrongSecret) == "invalid_proxy_secret", "\(Self.text(wrongSecret))")

                // The same headers sent straight to the server, from 127.0.0.1, are not the proxy's.
                let direct = try await CurlClient(timeout: .seconds(10)).post(
                    "http://127.0.0.1:\(port)/api/security/tokens",
                    headers: json + ["X-Proxy-Secret: \(Self.secret)", "Remote-User: ada", "Remote-Groups: admin"], body: newToken)
                #expect(direct.status == 401 && Self.code(direct) == "unauthorized", "direct: \(Self.text(direct))")

                let status = try await curl.get("http://nginx/viewer/api/security/status", headers: [])
                #expect(Self.text(status).contains(#""proxyAuthUsername":"vic""#) && Self.text(status).contains(#""authRole":"viewer""#))
                for reply in [adminWrite, viewerWrite, viewerRead, wrongSecret, direct, status] {
                    #expect(!Self.text(reply).contains(Self.secret))
                }
            }
            let audit = "\(try server.dependencies.audit.recent(limit: 100))"
            #expect(audit.contains("proxy_auth_failed") && !audit.contains(Self.secret))
        }
        let lines = logs.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("proxy_auth_failed") }, "the wrong secret is in the log as an audit event")
        #expect(lines.count > 5, "the server logged at trace level: \(lines.count) lines")
        let leaks = lines.filter { $0.contains(Self.secret) }
        #expect(leaks.isEmpty, "the secret is in the log: \(leaks)")
    }

    static func text(_ reply: HTTPReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    static func code(_ reply: HTTPReply) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])?["code"] as? String
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Security finding 8: minting install tokens, issuing setup codes and auto-registering hosts
/// left no trace in the audit log. Each is a security event now, and none carries a secret.
@Suite("Security events are audited")
struct SecurityAuditTests {
    static func audit(_ client: any TestClientProtocol) async throws -> [[String: Any]] {
        try await client.execute(uri: "/api/security/audit?limit=1000", method: .get, headers: .token(TestServer.adminToken)) { response in
            try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]] ?? []
        }
    }

    @Test func installTokensSetupCodesAndAutoRegistrationAreAudited() async throws {
        try await TestServer.with(configure: { $0.publicURL = "http://pulse.lan:7655" }) { server, client in
            let install = try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: AutoRegistrationTests.admin,
                body: ByteBuffer(string: #"{"type":"docker"}"#)
            ) { response in try response.jsonObject() }
            let rawToken = try #require(install["token"] as? String)
            let issued = try await AutoRegistrationTests.issueCode(client)
            let code = try #require(issued["setupToken"] as? String)
            #expect(try await AutoRegistrationTests.register(client, code: code).status == .ok)

            let events = try await Self.audit(client)
            let names = events.compactMap { $0["event"] as? String }
            #expect(names.contains("token_create") && names.contains("setup_code_issued") && names.contains("auto_register"))
            _ = try #require(events.first { ($0["details"] as? String)?.contains("docker agent install") == true })
            let text = String(decoding: try JSONSerialization.data(withJSONObject: events), as: UTF8.self)
            #expect(!text.contains(rawToken) && !text.contains(code) && !text.contains("s3cret-token"), "no secret in the audit log")
        }
    }
}

import Foundation
import HTTPTypes
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

/// `allowedPrivateTargets` holds CIDR ranges typed by an admin; anything else is refused.
@Suite("Allowed private targets must be CIDR ranges")
struct AllowedPrivateTargetsTests {
    @Test(arguments: ["", "/", "/8", "//", "10.0.0.0/33", "fd00::/129", "not a range"])
    func aValueThatIsNoRangeIs400AndTheServerLives(value: String) async throws {
        #expect(IPRange(value) == nil)
        try await TestServer.with { server, client in
            let response = try await client.execute(
                uri: "/api/notifications", method: .post, headers: [.apiToken: TestServer.adminToken],
                body: ByteBuffer(string: AgentPayloads.json(["allowedPrivateTargets": [value]])))
            #expect(response.status == .badRequest, "\(value.debugDescription) answered \(response.status)")
            #expect((try response.jsonObject()["details"] as? [String: String])?["field"] == "allowedPrivateTargets")
            #expect(await server.dependencies.notificationConfigs.config.settings.allowedPrivateTargets.isEmpty)
        }
    }

    @Test func rangesAreAccepted() async throws {
        #expect(IPRange("10.0.0.0/8")?.prefix == 8)
        #expect(IPRange("fd00::/8")?.prefix == 8)
        #expect(IPRange("192.168.1.5")?.prefix == 32)
    }
}

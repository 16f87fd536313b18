import AgentProtocol
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

/// SMART sector counts come from agents as any Int64: the sector rule must neither overflow
/// adding them nor converting the alert's value back when the alert is cleared.
@Suite("SMART sector counts at the ends of Int64")
struct SMARTSectorBoundsTests {
    static func report(reallocated: Int64, pending: Int64, timestamp: String) -> String {
        AlertEngineTests.report(
            AgentPayloads.host(hostname: "nas", hostID: "h9", timestamp: timestamp),
            adding: [
                "sensors": [
                    "smart": [
                        [
                            "device": "/dev/sdb", "serial": "S9", "temperature": 33, "health": "PASSED",
                            "attributes": ["reallocatedSectors": reallocated, "pendingSectors": pending],
                        ]
                    ]
                ]
            ])
    }

    @Test func extremeCountsAlertAtInt64MaxAndClearingTheAlertKeepsTheServer() async throws {
        try await TestServer.with { server, client in
            let admin = TestServer.adminToken
            let baseline = Self.report(reallocated: -5, pending: Int64.min, timestamp: "2025-06-15T15:06:40Z")
            #expect(try await client.post("/api/agents/host/report", token: admin, body: baseline).status == .ok)
            await AlertEngineTests.evaluate(server)
            server.time.advance(by: 30)
            let extreme = Self.report(reallocated: .max, pending: 1, timestamp: "2025-06-15T15:07:10Z")
            #expect(try await client.post("/api/agents/host/report", token: admin, body: extreme).status == .ok)
            await AlertEngineTests.evaluate(server)

            let alert = try #require(await server.dependencies.alerts.active().first { $0.id == "host-h9-smart-sectors-sdb" })
            #expect(alert.value == Double(Int64.max) && alert.threshold == 0, "negative counts read as 0, the sum stops at Int64.max")
            try await client.execute(uri: "/api/alerts/host-h9-smart-sectors-sdb/clear", method: .post, headers: [.apiToken: admin]) { response in
                #expect(response.status == .ok)
            }
            server.time.advance(by: 30)
            #expect(try await client.post("/api/agents/host/report", token: admin, body: extreme).status == .ok)
            await AlertEngineTests.evaluate(server)
            #expect(await !server.dependencies.alerts.active().contains { $0.id == "host-h9-smart-sectors-sdb" }, "the cleared count is the baseline")
        }
    }

    @Test func sectorCountIsSaturating() {
        #expect(RuleMemory.sectorCount(SMARTAttributes(reallocatedSectors: .max, pendingSectors: .max)) == .max)
        #expect(RuleMemory.sectorCount(SMARTAttributes(reallocatedSectors: .min, pendingSectors: 3)) == 3)
        #expect(RuleMemory.sectorCount(nil) == 0)
    }
}

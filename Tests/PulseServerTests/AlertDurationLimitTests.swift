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

/// Alert durations become seconds in the engine (`maxAlertAgeDays * 86_400`): a value past ten
/// years is refused, so no setting can overflow that product and end the server.
@Suite("Alert durations are at most ten years")
struct AlertDurationLimitTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]

    @Test(arguments: [
        (#"{"maxAlertAgeDays": 9223372036854775807}"#, "maxAlertAgeDays"),
        (#"{"autoAcknowledgeAfterHours": 9223372036854775807}"#, "autoAcknowledgeAfterHours"),
        (#"{"flappingCooldownMinutes": 9223372036854775807}"#, "flappingCooldownMinutes"),
        (#"{"schedule": {"cooldown": 9223372036854775807}}"#, "schedule.cooldown"),
        (#"{"timeThresholds": {"guest": 315360001}}"#, "timeThresholds.guest"),
        (#"{"metricTimeThresholds": {"host": {"cpu": 315360001}}}"#, "metricTimeThresholds.host.cpu"),
    ])
    func aDurationPastTenYearsIs400AndEvaluationStillRuns(body: String, field: String) async throws {
        try await TestServer.with { server, client in
            let response = try await client.execute(uri: "/api/alerts/config", method: .post, headers: Self.admin, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest, "\(body) answered \(response.status)")
            #expect((try response.jsonObject()["details"] as? [String: String])?["field"] == field)
            #expect(await server.dependencies.alerts.configuration == AlertConfiguration(), "a refused update changes nothing")
            await AlertEngineTests.evaluate(server)
        }
    }

    @Test func tenYearsIsAccepted() async throws {
        try await TestServer.with { server, client in
            let body = #"{"maxAlertAgeDays": 3650, "autoAcknowledgeAfterHours": 87600, "schedule": {"cooldown": 5256000}}"#
            let response = try await client.execute(uri: "/api/alerts/config", method: .post, headers: Self.admin, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(await server.dependencies.alerts.configuration.maxAlertAgeDays == 3650)
            await AlertEngineTests.evaluate(server)
        }
    }
}

import AgentProtocol
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Alerting
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Pulse v5.1's newer shapes: alert actions with the ID in the body, `POST /api/alerts/activate`,
/// `GET /api/state/summary`.
@Suite("Alert actions by body, activation, state summary")
struct AlertBodyActionsTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    /// Events the engine hands to its sinks, for the activation test.
    actor CapturedEvents: AlertEventSink {
        var events: [AlertEvent] = []
        func handle(_ events: [AlertEvent], schedule: AlertSchedule) async { self.events += events }
        func scheduleChanged(_ schedule: AlertSchedule) async {}
    }

    /// A host at 97 % CPU: after the delay, the critical alert `host:h1-cpu`.
    static func criticalAlert(_ server: TestServer, _ client: any TestClientProtocol) async throws {
        let report = try await client.post(
            "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 97))
        #expect(report.status == .ok)
        await AlertEngineTests.evaluate(server)
        server.time.advance(by: 5)
        await AlertEngineTests.evaluate(server)
    }

    static func active(_ client: any TestClientProtocol) async throws -> [[String: Any]] {
        try await client.execute(uri: "/api/alerts/active", method: .get, headers: admin) { response in
            try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]] ?? []
        }
    }

    @Test func anAlertNamedInTheBodyIsAcknowledgedUnacknowledgedAndCleared() async throws {
        try await TestServer.with { server, client in
            try await Self.criticalAlert(server, client)
            let acknowledged = try await client.execute(
                uri: "/api/alerts/acknowledge", method: .post, headers: Self.admin, body: .json(#"{"id":"host:h1-cpu"}"#))
            #expect(acknowledged.status == .ok && acknowledged.text == #"{"success":true}"#)
            #expect(try await Self.active(client).first?["acknowledged"] as? Bool == true)
            let again = try await client.execute(
                uri: "/api/alerts/unacknowledge", method: .post, headers: Self.admin, body: .json(#"{"alertIdentifier":"host:h1-cpu"}"#))
            #expect(again.status == .ok)
            #expect(try await Self.active(client).first?["acknowledged"] as? Bool == false)

            for body in [#"{}"#, #"{"id":""}"#, #"{"id":"../../etc"}"#, #"{"id":" host:h1-cpu"}"#, #"{"id":"a\u0007b"}"#, #"{"id":5}"#] {
                let refused = try await client.execute(uri: "/api/alerts/acknowledge", method: .post, headers: Self.admin, body: .json(body))
                #expect(refused.status == .badRequest, "\(body)")
            }
            let unnamed = try await client.execute(uri: "/api/alerts/clear", method: .post, headers: Self.admin, body: .json("{}"))
            #expect((try unnamed.jsonObject()["details"] as? [String: Any])?["field"] as? String == "id")
            let missing = try await client.execute(
                uri: "/api/alerts/clear", method: .post, headers: Self.admin, body: .json(#"{"id":"host:nope-cpu"}"#))
            #expect(missing.status == .notFound)
            let reader = try await server.token(scopes: ["monitoring:read"])
            let forbidden = try await client.execute(
                uri: "/api/alerts/clear", method: .post, headers: [.apiToken: reader, .contentType: "application/json"],
                body: .json(#"{"id":"host:h1-cpu"}"#))
            #expect(forbidden.status == .forbidden)
            #expect(try await Self.active(client).count == 1, "nothing changed by the refusals")

            let cleared = try await client.execute(
                uri: "/api/alerts/clear", method: .post, headers: Self.admin, body: .json(#"{"id":"host:h1-cpu"}"#))
            #expect(cleared.status == .ok)
            #expect(try await Self.active(client).isEmpty)
        }
    }

    @Test func activationTurnsNotificationsOnAndSendsTheCriticalAlertsAlreadyActive() async throws {
        try await TestServer.with { server, client in
            let captured = CapturedEvents()
            await server.dependencies.alerts.addSink(captured)
            let review = try await client.execute(
                uri: "/api/alerts/", method: .post, headers: Self.admin, body: .json(#"{"activationState":"pending_review"}"#))
            #expect(review.status == .ok)
            try await Self.criticalAlert(server, client)
            #expect(await captured.events.isEmpty, "nothing is sent while alerts await review")

            let writer = try await server.token(scopes: ["monitoring:write"])
            let refused = try await client.execute(uri: "/api/alerts/activate", method: .post, headers: [.apiToken: writer])
            #expect(refused.status == .forbidden)
            let activated = try await client.execute(uri: "/api/alerts/activate", method: .post, headers: Self.admin)
            #expect(activated.status == .ok)
            #expect(activated.field("message", as: String.self) == "Alert notifications activated")
            #expect(activated.field("state", as: String.self) == "active" && activated.field("activationTime", as: String.self) != nil)
            let sent = await captured.events
            #expect(sent.count == 1)
            if case .fired(let alert) = sent.first { #expect(alert.id == "host:h1-cpu") } else { Issue.record("expected the critical alert") }
            let config = try await client.execute(uri: "/api/alerts/config", method: .get, headers: Self.admin)
            #expect(config.field("activationState", as: String.self) == "active")
            let twice = try await client.execute(uri: "/api/alerts/activate", method: .post, headers: Self.admin)
            #expect(twice.field("message", as: String.self) == "Alerts already activated")
            #expect(await captured.events.count == 1, "activating again sends nothing")
        }
    }

    @Test func theStateSummaryCountsTheState() async throws {
        try await TestServer.with { server, client in
            let docker = try await client.post(
                "/api/agents/docker/report", token: TestServer.adminToken,
                body: AgentPayloads.docker(hostname: "dock1", agentID: "agent-dock1", containers: 3))
            #expect(docker.status == .ok)
            try await Self.criticalAlert(server, client)
            let reader = try await server.token(scopes: ["monitoring:read"])
            let summary = try await client.execute(uri: "/api/state/summary", method: .get, headers: [.apiToken: reader])
            #expect(summary.status == .ok)
            let object = try summary.jsonObject()
            #expect(object["activeAlerts"] as? Int == 1 && object["nodes"] as? Int == 0 && object["vms"] as? Int == 0)
            let hosts = try #require(object["dockerHosts"] as? [[String: Any]])
            #expect(hosts.count == 1 && hosts.first?["name"] as? String == "dock1" && hosts.first?["containers"] as? Int == 3)
            #expect((object["lastUpdate"] as? String).flatMap { RFC3339.parse($0) } != nil)
            let anonymous = try await client.execute(uri: "/api/state/summary", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }
}

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

/// Alerts from agent reports through the real ingest path, the alert API, and persistence.
@Suite("Alerts on the merged state, the alert API, and alerts across restarts")
struct AlertEngineTests {
    /// One evaluation, as `AlertEvaluationService` runs it.
    @discardableResult
    static func evaluate(_ server: TestServer) async -> [AlertEvent] {
        await server.dependencies.alerts.evaluate(await server.dependencies.state.snapshot().readings(), at: server.time.now())
    }

    /// Polls `condition` every 50 ms until it holds or `limit` has passed; whether it held.
    static func eventually(within limit: Duration, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    static func report(_ json: String, adding extra: [String: Any]) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        for (key, value) in extra { object[key] = value }
        return AgentPayloads.json(object)
    }

    /// With the evaluation service running, a report over the threshold is evaluated as it
    /// arrives, and the alert fires once the delay has passed, without another report and long
    /// before the next regular check (a day away here).
    @Test func aReportOverTheThresholdIsEvaluatedOnArrivalAndFiresWhenItsDelayEnds() async throws {
        try await TestServer.with(configure: { $0.alertsOnArrival = true }) { server, client in
            let admin = TestServer.adminToken
            #expect(
                try await client.post("/api/agents/host/report", token: admin, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 85))
                    .status == .ok)
            let pending = try await Self.eventually(within: .seconds(30)) {
                await server.dependencies.alerts.nextDeadline != nil
            }
            #expect(pending, "the report was evaluated on arrival: its condition waits out the 5 s delay")
            #expect(try await client.state().objects("activeAlerts").isEmpty)
            server.time.advance(by: 5)
            let fired = try await Self.eventually(within: .seconds(30)) {
                await server.dependencies.state.snapshot().activeAlerts.contains { $0.id == "host:h1-cpu" }
            }
            #expect(fired, "fired when the delay ended, with no further report")
        }
    }

    @Test func aHostOverItsCPUThresholdAlertsAfterTheDelayAndOverridesChangeIt() async throws {
        try await TestServer.with { server, client in
            let admin = TestServer.adminToken
            #expect(
                try await client.post("/api/agents/host/report", token: admin, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 85))
                    .status == .ok)
            #expect(await Self.evaluate(server).isEmpty, "the 5 s delay has not passed")
            server.time.advance(by: 5)
            let events = await Self.evaluate(server)
            #expect(events.count == 1)
            let state = try await client.state()
            let alert = try #require(state.objects("activeAlerts").first)
            #expect(alert["id"] as? String == "host:h1-cpu")
            #expect(alert["level"] as? String == "warning")
            #expect(alert["resourceId"] as? String == "host:h1")
            #expect((alert["metadata"] as? [String: Any])?["clearThreshold"] as? Double == 75)
            #expect((alert["startTime"] as? String)?.hasSuffix("Z") == true, "raw alert times are RFC 3339")

            // An override raising the trigger resolves it; -1 disables the metric.
            let raise = #"{"overrides":{"host:h1":{"cpu":{"trigger":95,"clear":90}}}}"#
            #expect(
                try await client.execute(uri: "/api/alerts/", method: .post, headers: [.apiToken: admin], body: ByteBuffer(string: raise)).status
                    == .ok)
            let resolved = await Self.evaluate(server)
            let afterRaise = try await client.state()
            #expect(resolved.count == 1 && afterRaise.objects("activeAlerts").isEmpty)
            let disable = #"{"overrides":{"host:h1":{"cpu":{"trigger":-1,"clear":-1}}}}"#
            _ = try await client.execute(uri: "/api/alerts/", method: .post, headers: [.apiToken: admin], body: ByteBuffer(string: disable))
            _ = try await client.post(
                "/api/agents/host/report", token: admin,
                body: AgentPayloads.host(hostname: "web", hostID: "h1", timestamp: "2025-06-15T15:07:10Z", cpu: 99))
            server.time.advance(by: 10)
            await Self.evaluate(server)
            server.time.advance(by: 10)
            #expect(await Self.evaluate(server).isEmpty)
            let history = try await client.execute(uri: "/api/alerts/history", method: .get, headers: [.apiToken: admin]) { response in
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
            }
            #expect(history?.first?["id"] as? String == "host:h1-cpu" && history?.first?["resolvedTime"] != nil)
        }
    }

    @Test func aSilentHostIsOfflineAfterThreeConfirmationsAndRecoversOnItsNextReport() async throws {
        try await TestServer.with { server, client in
            let admin = TestServer.adminToken
            _ = try await client.post("/api/agents/host/report", token: admin, body: AgentPayloads.host(hostname: "db", hostID: "h2", interval: 30))
            server.time.advance(by: 181)  // clamp(6 × 30 s, 60 s, 10 min) = 180 s
            #expect(await Self.evaluate(server).isEmpty)
            server.time.advance(by: 10)
            #expect(await Self.evaluate(server).isEmpty)
            server.time.advance(by: 10)
            let fired = await Self.evaluate(server)
            guard case .fired(let alert)? = fired.first else {
                Issue.record("expected an offline alert on the third evaluation, got \(fired)")
                return
            }
            #expect(alert.id == "host-offline-h2" && alert.level == .critical && alert.type == "offline")
            _ = try await client.post(
                "/api/agents/host/report", token: admin, body: AgentPayloads.host(hostname: "db", hostID: "h2", timestamp: "2025-06-15T15:10:00Z"))
            let recovered = await Self.evaluate(server)
            #expect(recovered.contains { if case .resolved(let alert, _) = $0 { alert.id == "host-offline-h2" } else { false } })
        }
    }

    @Test func dockerRulesDetectARestartLoopAnOOMKillAndIgnoredPrefixes() async throws {
        try await TestServer.with { server, client in
            let admin = TestServer.adminToken
            func send(restarts: Int, at second: Int, exitedOOM: Bool = false) async throws {
                var report =
                    try JSONSerialization.jsonObject(
                        with: Data(
                            AgentPayloads.docker(
                                hostname: "dock", agentID: "d1",
                                timestamp: "2025-06-15T15:\(10 + second / 60):\(String(format: "%02d", second % 60))Z"
                            ).utf8)) as! [String: Any]
                var containers = report["containers"] as! [[String: Any]]
                containers[0]["restartCount"] = restarts
                if exitedOOM {
                    containers[1]["state"] = "exited"
                    containers[1]["exitCode"] = 137
                }
                report["containers"] = containers
                #expect(try await client.post("/api/agents/docker/report", token: admin, body: AgentPayloads.json(report)).status == .ok)
            }
            try await send(restarts: 0, at: 0)
            await Self.evaluate(server)
            for (index, restarts) in [1, 2, 3].enumerated() {
                server.time.advance(by: 60)
                try await send(restarts: restarts, at: 60 * (index + 1), exitedOOM: restarts == 3)
                await Self.evaluate(server)
            }
            let active = await server.dependencies.alerts.active().map(\.id)
            #expect(active.contains("docker-container-restart-loop-docker:d1/c0"))
            #expect(active.contains("docker-container-oom-docker:d1/c1"))
            #expect(!active.contains("docker-container-state-docker:d1/c1"), "an OOM kill is one alert, not two")

            // An alert ID with a slash, acknowledged through the catch-all route.
            let ack = try await client.execute(
                uri: "/api/alerts/docker-container-oom-docker:d1%2Fc1/acknowledge", method: .post, headers: [.apiToken: admin])
            #expect(ack.status == .ok)
            #expect(await server.dependencies.alerts.active().first { $0.id == "docker-container-oom-docker:d1/c1" }?.acknowledged == true)

            // Prefix "WEB-" ignores both containers (case-insensitively): their alerts resolve.
            _ = try await client.execute(
                uri: "/api/alerts/config", method: .put, headers: [.apiToken: admin],
                body: ByteBuffer(string: #"{"dockerIgnoredContainerPrefixes":["WEB-"]}"#))
            await Self.evaluate(server)
            #expect(await server.dependencies.alerts.active().isEmpty)
        }
    }

    @Test func raidDegradedAndSMARTFailuresAndRisingSectorsAlert() async throws {
        try await TestServer.with { server, client in
            let admin = TestServer.adminToken
            func send(sectors: Int, timestamp: String) async throws {
                let body = Self.report(
                    AgentPayloads.host(hostname: "nas", hostID: "h3", timestamp: timestamp),
                    adding: [
                        "raid": [
                            [
                                "device": "/dev/md0", "level": "raid1", "state": "clean, degraded", "totalDevices": 2, "activeDevices": 1,
                                "workingDevices": 1, "failedDevices": 1, "spareDevices": 0, "devices": [], "rebuildPercent": 0,
                            ]
                        ],
                        "sensors": [
                            "smart": [
                                ["device": "/dev/sda", "serial": "S1", "temperature": 35, "health": "FAILED"],
                                [
                                    "device": "/dev/sdb", "serial": "S2", "temperature": 33, "health": "PASSED",
                                    "attributes": ["reallocatedSectors": sectors, "pendingSectors": 0],
                                ],
                            ]
                        ],
                    ])
                #expect(try await client.post("/api/agents/host/report", token: admin, body: body).status == .ok)
            }
            try await send(sectors: 8, timestamp: "2025-06-15T15:06:40Z")
            await Self.evaluate(server)
            var active = await server.dependencies.alerts.active()
            #expect(active.first { $0.id == "host-h3-raid-md0" }?.level == .critical)
            #expect(active.contains { $0.id == "host-h3-smart-sda" })
            #expect(!active.contains { $0.id == "host-h3-smart-sectors-sdb" }, "the first count seen is the baseline")
            server.time.advance(by: 30)
            try await send(sectors: 12, timestamp: "2025-06-15T15:07:10Z")
            await Self.evaluate(server)
            active = await server.dependencies.alerts.active()
            #expect(active.first { $0.id == "host-h3-smart-sectors-sdb" }?.message.contains("rose by 4 to 12") == true)
            // Clearing accepts the new count: no new alert until the count rises again.
            #expect(
                try await client.execute(uri: "/api/alerts/host-h3-smart-sectors-sdb/clear", method: .post, headers: [.apiToken: admin]).status == .ok
            )
            server.time.advance(by: 30)
            try await send(sectors: 12, timestamp: "2025-06-15T15:07:40Z")
            await Self.evaluate(server)
            #expect(await !server.dependencies.alerts.active().contains { $0.id == "host-h3-smart-sectors-sdb" })
        }
    }

    @Test func anAcknowledgementSurvivesARestart() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestServer.with(dataDirectory: folder) { server, client in
            _ = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 97))
            await Self.evaluate(server)
            server.time.advance(by: 5)
            await Self.evaluate(server)
            let response = try await client.execute(
                uri: "/api/alerts/host:h1-cpu/acknowledge", method: .post, headers: [.apiToken: TestServer.adminToken])
            #expect(response.status == .ok)
        }
        try await TestServer.with(dataDirectory: folder) { server, client in
            let active = try await client.execute(uri: "/api/alerts/active", method: .get, headers: [.apiToken: TestServer.adminToken]) { response in
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
            }
            let alert = try #require(active?.first)
            #expect(alert["id"] as? String == "host:h1-cpu")
            #expect(alert["acknowledged"] as? Bool == true)
            #expect(alert["ackUser"] as? String == "API_TOKENS #1")
            #expect(alert["level"] as? String == "critical", "97 ≥ 80 + 10")
        }
    }

    @Test func theConfigurationKeepsOmittedKeysAndRefusesImpossibleSettings() async throws {
        try await TestServer.with { server, client in
            let admin: HTTPFields = [.apiToken: TestServer.adminToken]
            let defaults = try await client.execute(uri: "/api/alerts/", method: .get, headers: admin) { try $0.jsonObject() }
            #expect(((defaults["guestDefaults"] as? [String: Any])?["cpu"] as? [String: Any])?["trigger"] as? Double == 80)
            #expect((defaults["dockerDefaults"] as? [String: Any])?["restartCount"] as? Int == 3)

            let partial = #"{"hostDefaults":{"cpu":{"trigger":90,"clear":85}},"schedule":{"quietHours":{"enabled":true}}}"#
            let updated = try await client.execute(uri: "/api/alerts/", method: .post, headers: admin, body: ByteBuffer(string: partial)) {
                try $0.jsonObject()
            }
            let host = updated["hostDefaults"] as? [String: Any]
            #expect((host?["cpu"] as? [String: Any])?["trigger"] as? Double == 90)
            #expect((host?["memory"] as? [String: Any])?["trigger"] as? Double == 85, "an omitted metric keeps its default")
            #expect(((updated["schedule"] as? [String: Any])?["quietHours"] as? [String: Any])?["end"] as? String == "08:00")

            let impossible = try await client.execute(
                uri: "/api/alerts/", method: .post, headers: admin, body: ByteBuffer(string: #"{"nodeDefaults":{"cpu":{"trigger":70,"clear":90}}}"#))
            #expect(impossible.status == .badRequest)
            #expect((try impossible.jsonObject()["details"] as? [String: Any])?["field"] as? String == "nodeDefaults.cpu")
            let malformed = try await client.execute(uri: "/api/alerts/", method: .post, headers: admin, body: ByteBuffer(string: "{nope"))
            let malformedCode = try malformed.jsonObject()["code"] as? String
            #expect(malformed.status == .badRequest && malformedCode == "invalid_json")
            #expect(await server.dependencies.alerts.configuration.nodeDefaults.cpu?.trigger == 80, "a refused update changes nothing")

            let reader = try await server.token(scopes: ["monitoring:read"])
            #expect(
                try await client.execute(uri: "/api/alerts/", method: .post, headers: [.apiToken: reader], body: ByteBuffer(string: "{}")).status
                    == .forbidden)
            #expect(try await client.execute(uri: "/api/alerts/nope/acknowledge", method: .post, headers: admin).status == .notFound)
        }
    }
}

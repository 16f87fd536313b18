import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Patrol
@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// `/api/ai/patrol/*` on a whole server: a host agent on an older version than the server hands
/// out is the seeded problem; the routes act on its finding with an `ai:execute` token.
@Suite("Patrol routes")
struct PatrolRoutesTests {
    static func withPatrol(_ body: @Sendable (TestServer, any TestClientProtocol, String) async throws -> Void) async throws {
        try await TestServer.with(configure: { $0.agentVersion = "5.2.0" }) { server, client in
            let reporter = try await server.token(scopes: ["host-agent:report"])
            let report = try await client.post("/api/agents/host/report", token: reporter, body: AgentPayloads.host(hostname: "old-agent"))
            #expect(report.status == .ok)
            try await body(server, client, try await server.token(scopes: ["ai:execute"]))
        }
    }

    static func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
    }

    static func array(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]], "\(response.text)")
    }

    @Test func runNowFindsTheOldAgentAndTheFindingCanBeAcknowledgedSnoozedAndDismissed() async throws {
        try await Self.withPatrol { server, client, token in
            let headers: HTTPFields = [.apiToken: token, .contentType: "application/json"]
            let run = try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: headers) { try $0.jsonObject() }
            #expect(run["status"] as? String == "completed")
            #expect(run["new_findings"] as? Int == 1)
            let findings = try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }
            let finding = try #require(findings.first { $0["detector"] as? String == "agent_version" })
            let id = try #require(finding["id"] as? String)
            #expect(finding["severity"] as? String == "warning")
            #expect((finding["evidence"] as? [String: Any])?["expected_minor"] as? Int == 2)

            // A second run keeps the same finding.
            _ = try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: headers)
            let again = try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }
            #expect(again.map { $0["id"] as? String } == [id])
            #expect(again.first?["times_raised"] as? Int == 2)

            let acknowledged = try await client.execute(
                uri: "/api/ai/patrol/acknowledge", method: .post, headers: headers, body: Self.json(["finding_id": id])
            ) { try $0.jsonObject() }
            #expect((acknowledged["finding"] as? [String: Any])?["acknowledged_at"] is String)

            let snoozed = try await client.execute(
                uri: "/api/ai/patrol/snooze", method: .post, headers: headers, body: Self.json(["finding_id": id, "duration_hours": 24]))
            #expect(snoozed.status == .ok)
            #expect(try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }.isEmpty)
            let aside = try await client.execute(uri: "/api/ai/patrol/dismissed", method: .get, headers: headers) { try Self.array($0) }
            #expect(aside.map { $0["id"] as? String } == [id])
            server.time.advance(by: 24 * 3600 + 1)
            #expect(try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }.count == 1)

            let badReason = try await client.execute(
                uri: "/api/ai/patrol/dismiss", method: .post, headers: headers, body: Self.json(["finding_id": id, "reason": "meh"]))
            #expect(badReason.status == .badRequest)
            #expect((try badReason.jsonObject()["details"] as? [String: String])?["field"] == "reason")
            let unknown = try await client.execute(
                uri: "/api/ai/patrol/acknowledge", method: .post, headers: headers, body: Self.json(["finding_id": "nope"]))
            #expect(unknown.status == .notFound)
            let missing = try await client.execute(uri: "/api/ai/patrol/acknowledge", method: .post, headers: headers, body: Self.json([:]))
            #expect((try missing.jsonObject()["details"] as? [String: String])?["field"] == "finding_id")

            let dismissed = try await client.execute(
                uri: "/api/ai/patrol/dismiss", method: .post, headers: headers,
                body: Self.json(["finding_id": id, "reason": "will_fix_later", "note": "next maintenance window"]))
            #expect(dismissed.status == .ok)
            #expect(try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }.isEmpty)

            let status = try await client.execute(uri: "/api/ai/patrol/status", method: .get, headers: headers) { try $0.jsonObject() }
            #expect(status["license_required"] as? Bool == false)
            #expect((status["detectors"] as? [[String: Any]])?.count == 8)
            let runs = try await client.execute(uri: "/api/ai/patrol/runs", method: .get, headers: headers) { try Self.array($0) }
            #expect(runs.count == 2)
            let history = try await client.execute(uri: "/api/ai/patrol/history?limit=0", method: .get, headers: headers)
            #expect(history.status == .badRequest)
        }
    }

    @Test func suppressionRulesAreAddedListedAndDeletedAndFindingsCleared() async throws {
        try await Self.withPatrol { server, client, token in
            let headers: HTTPFields = [.apiToken: token, .contentType: "application/json"]
            _ = try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: headers)
            let noReason = try await client.execute(
                uri: "/api/ai/patrol/suppressions", method: .post, headers: headers, body: Self.json(["category": "maintenance"]))
            #expect((try noReason.jsonObject()["details"] as? [String: String])?["field"] == "description")
            let badCategory = try await client.execute(
                uri: "/api/ai/patrol/suppressions", method: .post, headers: headers, body: Self.json(["category": "vibes", "description": "x"]))
            #expect((try badCategory.jsonObject()["details"] as? [String: String])?["field"] == "category")
            let rule = try await client.execute(
                uri: "/api/ai/patrol/suppressions", method: .post, headers: headers,
                body: Self.json(["category": "maintenance", "description": "agents update on Sundays"])
            ) { try $0.jsonObject() }
            let ruleID = try #require(rule["id"] as? String)
            #expect(try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }.isEmpty)
            let rules = try await client.execute(uri: "/api/ai/patrol/suppressions", method: .get, headers: headers) { try Self.array($0) }
            #expect(rules.map { $0["id"] as? String } == [ruleID])
            let deleted = try await client.execute(uri: "/api/ai/patrol/suppressions/\(ruleID)", method: .delete, headers: headers)
            #expect(deleted.status == .noContent)
            let gone = try await client.execute(uri: "/api/ai/patrol/suppressions/\(ruleID)", method: .delete, headers: headers)
            #expect(gone.status == .notFound)
            #expect(try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) { try Self.array($0) }.count == 1)

            let cleared = try await client.execute(uri: "/api/ai/patrol/findings", method: .delete, headers: headers) { try $0.jsonObject() }
            #expect(cleared["cleared"] as? Int == 1)
            #expect(try await client.execute(uri: "/api/ai/patrol/history", method: .get, headers: headers) { try Self.array($0) }.isEmpty)

            // Reading findings takes ai:execute, as in Pulse.
            let reader = try await server.token(scopes: ["monitoring:read"])
            let refused = try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: .token(reader))
            #expect(refused.status == .forbidden)
        }
    }

    @Test func newWarningFindingsAreQueuedForTheNotificationChannels() async throws {
        try await Self.withPatrol { server, client, token in
            _ = try await server.dependencies.notificationConfigs.update { $0.email.enabled = true }
            _ = try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: .token(token))
            let queued = try server.dependencies.notifications.queue.due(at: server.time.now().addingTimeInterval(1))
            let alerts = queued.flatMap { $0.message.alerts }
            #expect(alerts.map(\.type) == ["patrol-agent_version"])
            #expect(alerts.first?.resourceName == "old-agent")
            #expect(queued.map(\.channel) == ["email"])
        }
    }
}

/// `/api/ai/patrol/stream` over a real socket: an EventSource client gets each run's events as
/// they happen; any other client gets the status once, as JSON.
@Suite("Patrol stream")
struct PatrolStreamTests {
    @Test(.timeLimit(.minutes(5)))
    func anEventStreamClientSeesARunStartRaiseItsFindingAndComplete() async throws {
        try await TestServer.live(configure: { $0.agentVersion = "5.2.0" }) { server, client in
            let reporter = try await server.token(scopes: ["host-agent:report"])
            #expect(try await client.post("/api/agents/host/report", token: reporter, body: AgentPayloads.host(hostname: "old-agent")).status == .ok)
            let token = try await server.token(scopes: ["ai:execute"])
            let plain = try await client.execute(uri: "/api/ai/patrol/stream", method: .get, headers: .token(token)) { try $0.jsonObject() }
            #expect(plain["running"] as? Bool == false)

            let port = try #require(client.port)
            let fd = try #require(RawSocket.requestEventStream(port: port, path: "/api/ai/patrol/stream", token: token))
            defer { close(fd) }
            let opened = try await UpdateRoutesTests.readStream(fd, into: "") { $0.contains(": patrol events") }
            #expect(opened.hasPrefix("HTTP/1.1 200"), "\(opened)")
            #expect(opened.lowercased().contains("content-type: text/event-stream"))

            #expect(try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: .token(token)).status == .ok)
            let text = try await UpdateRoutesTests.readStream(fd, into: opened) { $0.contains(#""type":"run_completed""#) }
            let types = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
                line in (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any])?["type"] as? String
            }
            #expect(types == ["run_started", "finding_raised", "run_completed"], "\(text)")
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Alerting
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `/api/alerts/incidents`: timelines recorded from the alert engine (fired, acknowledged,
/// unacknowledged, resolved), users' notes, bounds, strict inputs, and timelines across restarts.
@Suite("Alert incident timelines")
struct AlertIncidentTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    /// Host `h1` at 97 % CPU until its alert `host:h1-cpu` fires (critical).
    static func fireCPUAlert(_ server: TestServer, _ client: some TestClientProtocol) async throws {
        _ = try await client.post(
            "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 97))
        await AlertEngineTests.evaluate(server)
        server.time.advance(by: 5)
        await AlertEngineTests.evaluate(server)
    }

    static func timeline(_ client: some TestClientProtocol, _ query: String) async throws -> [String: Any] {
        try await client.execute(uri: "/api/alerts/incidents?\(query)", method: .get, headers: admin) { try $0.jsonObject() }
    }

    static func note(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/alerts/incidents/note", method: .post, headers: admin, body: ByteBuffer(string: body))
    }

    @Test func anAlertsLifeIsRecordedWithNotesAndSurvivesARestart() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestServer.with(dataDirectory: folder) { server, client in
            try await Self.fireCPUAlert(server, client)
            let opened = try await Self.timeline(client, "alert_id=host:h1-cpu")
            #expect(opened["status"] as? String == "open")
            #expect(opened["resourceId"] as? String == "host:h1")
            #expect(opened["level"] as? String == "critical")
            #expect(opened.objects("events").map { $0["type"] as? String } == ["alert_fired"])
            let incidentID = try #require(opened["id"] as? String)

            #expect(try await client.execute(uri: "/api/alerts/host:h1-cpu/acknowledge", method: .post, headers: Self.admin).status == .ok)
            #expect(try await client.execute(uri: "/api/alerts/host:h1-cpu/unacknowledge", method: .post, headers: Self.admin).status == .ok)
            let noted = try await Self.note(client, #"{"incident_id": "\#(incidentID)", "note": "  <b>disk</b> swapped \n "}"#)
            #expect(noted.status == .ok)
            #expect(try noted.jsonObject()["success"] as? Bool == true)
            #expect(try await Self.note(client, #"{"alert_id": "host:h1-cpu", "note": "second", "user": "ops"}"#).status == .ok)
            #expect(try await client.execute(uri: "/api/alerts/host:h1-cpu/clear", method: .post, headers: Self.admin).status == .ok)
        }
        try await TestServer.with(dataDirectory: folder) { _, client in
            let incident = try await Self.timeline(client, "alert_id=host:h1-cpu")
            #expect(incident["status"] as? String == "resolved")
            #expect(incident["closedAt"] as? String != nil)
            #expect(incident["acknowledged"] as? Bool == false)
            let events = incident.objects("events")
            #expect(
                events.map { $0["type"] as? String } == [
                    "alert_fired", "alert_acknowledged", "alert_unacknowledged", "note", "note", "alert_resolved",
                ])
            let first = events[3]["details"] as? [String: Any]
            #expect(first?["note"] as? String == "<b>disk</b> swapped", "stored as text, trimmed, not interpreted")
            #expect(first?["user"] as? String == "API_TOKENS #1", "the caller when no user is given")
            #expect(events[4]["summary"] as? String == "Note added by ops")
            let list = try await client.execute(uri: "/api/alerts/incidents?resource_id=host:h1&limit=5", method: .get, headers: Self.admin) {
                try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]]
            }
            #expect(list?.count == 1)
            #expect(list?.first?["id"] as? String == incident["id"] as? String)
        }
    }

    @Test func aStartTimeChoosesTheIncidentAndAnUnknownAlertIsNull() async throws {
        try await TestServer.with { server, client in
            try await Self.fireCPUAlert(server, client)
            let opened = try await Self.timeline(client, "alert_id=host:h1-cpu")
            let start = try #require(opened["openedAt"] as? String)
            let near = try await Self.timeline(client, "alert_id=host:h1-cpu&started_at=\(start)")
            #expect(near["id"] as? String == opened["id"] as? String)
            let far = try await client.execute(
                uri: "/api/alerts/incidents?alert_id=host:h1-cpu&started_at=2001-01-01T00:00:00Z", method: .get, headers: Self.admin)
            #expect(far.status == .ok && far.text == "null")
            let unknown = try await client.execute(uri: "/api/alerts/incidents?alert_id=nothing", method: .get, headers: Self.admin)
            #expect(unknown.text == "null")
            let none = try await client.execute(uri: "/api/alerts/incidents?resource_id=nothing", method: .get, headers: Self.admin)
            #expect(none.text == "[]")
        }
    }

    @Test func badInputsAreRefusedNamingTheField() async throws {
        try await TestServer.with { server, client in
            try await Self.fireCPUAlert(server, client)
            let queries: [(query: String, field: String)] = [
                ("", "alert_id"), ("alert_id=host:h1-cpu&started_at=yesterday", "started_at"),
                ("resource_id=host:h1&limit=0", "limit"), ("resource_id=host:h1&limit=x", "limit"),
                ("alert_id=\(String(repeating: "a", count: 501))", "alert_id"), ("resource_id=a%0Ab", "resource_id"),
            ]
            for (query, field) in queries {
                let response = try await client.execute(uri: "/api/alerts/incidents?\(query)", method: .get, headers: Self.admin)
                #expect(response.status == .badRequest, "\(query)")
                #expect((try response.jsonObject()["details"] as? [String: Any])?["field"] as? String == field, "\(query)")
            }
            let bodies: [(body: String, field: String)] = [
                (#"{"note": "x"}"#, "alert_id"), (#"{"alert_id": "host:h1-cpu", "note": "   "}"#, "note"),
                (#"{"alert_id": "host:h1-cpu", "note": "\#(String(repeating: "n", count: 2001))"}"#, "note"),
                (#"{"alert_id": "host:h1-cpu", "note": "x", "user": "a\nb"}"#, "user"),
            ]
            for (body, field) in bodies {
                let response = try await Self.note(client, body)
                #expect(response.status == .badRequest, "\(body.prefix(60))")
                #expect((try response.jsonObject()["details"] as? [String: Any])?["field"] as? String == field, "\(body.prefix(60))")
            }
            #expect(try await Self.note(client, #"{"note": 5, "alert_id": "host:h1-cpu"}"#).status == .badRequest)
            #expect(try await Self.note(client, #"{"alert_id": "no-such-alert", "note": "x"}"#).status == .notFound)
            #expect(try await Self.note(client, #"{"alert_id": "host:h1-cpu", "note": "\#(String(repeating: "n", count: 2000))"}"#).status == .ok)
        }
    }

    @Test func aViewerReadsTimelinesButMayNotAddNotes() async throws {
        try await TestServer.with { server, client in
            try await Self.fireCPUAlert(server, client)
            let reader = try await server.token(scopes: ["monitoring:read"])
            let read = try await client.execute(uri: "/api/alerts/incidents?alert_id=host:h1-cpu", method: .get, headers: [.apiToken: reader])
            #expect(read.status == .ok)
            let write = try await client.execute(
                uri: "/api/alerts/incidents/note", method: .post, headers: [.apiToken: reader, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"alert_id": "host:h1-cpu", "note": "x"}"#))
            #expect(write.status == .forbidden)
        }
    }

    /// The bounds: 120 events per incident, 500 incidents, nothing older than 90 days.
    @Test func incidentsAndTheirEventsAreBounded() async throws {
        let store = try AlertIncidents(database: nil, logger: .init(label: "test"))
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        func alert(_ id: String, at time: Date) -> Alert {
            Alert(
                id: id, type: "cpu", level: .warning, resourceId: "r-\(id)", resourceName: id, node: "", instance: "", message: "m", value: 1,
                threshold: 1, startTime: time, lastSeen: time, acknowledged: false)
        }
        await store.record([.fired(alert("a", at: start), at: start)])
        for index in 0..<130 { _ = await store.addNote("n\(index)", user: nil, alertID: "a", incidentID: nil, at: start) }
        let events = await store.timeline(alertID: "a")?.events ?? []
        #expect(events.count == AlertIncidents.maxEvents)
        #expect(events.last?.details?["note"] == .string("n129"), "the oldest events went first")
        for index in 0..<AlertIncidents.maxIncidents {
            let time = start.addingTimeInterval(Double(index + 1))
            await store.record([.fired(alert("b\(index)", at: time), at: time)])
        }
        #expect(await store.timeline(alertID: "a") == nil, "the oldest incident went first")
        #expect(await store.timeline(alertID: "b0") != nil)
        let later = start.addingTimeInterval(AlertIncidents.maxAge + 1000)
        await store.record([.fired(alert("c", at: later), at: later)])
        #expect(await store.timeline(alertID: "b499") == nil, "older than 90 days")
        #expect(await store.timeline(alertID: "c") != nil)
    }

    /// A first evaluation of a large estate fires thousands of alerts in one batch: each is found
    /// by a lookup, not by scanning every incident (the scans made a batch quadratic: 200,000
    /// ran past a minute, and this test's 400,000 cost four times that: about 8 s alone now, 90 s
    /// in the whole parallel run); the bounds and the newest incident of each alert stay right
    /// after the trim.
    @Test(.timeLimit(.minutes(5)))
    func aLargeBatchIsOnePassAndTheNewestIncidentsStayFindable() async throws {
        let store = try AlertIncidents(database: nil, logger: .init(label: "test"))
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        // Alert n started n seconds after `start`: the newest 500 are the last 500.
        func alert(_ number: Int) -> Alert {
            let time = start.addingTimeInterval(Double(number))
            return Alert(
                id: "x\(number)", type: "cpu", level: .warning, resourceId: "r-x\(number)", resourceName: "x", node: "", instance: "", message: "m",
                value: 0, threshold: 0, startTime: time, lastSeen: time, acknowledged: false)
        }
        let count = 400_000
        await store.record((0..<count).map { .fired(alert($0), at: start.addingTimeInterval(Double($0))) })
        let newestID = "x\(count - 1)"
        let kept = try #require(await store.timeline(alertID: newestID))
        #expect(kept.status == .open && kept.events.count == 1)
        #expect(await store.timeline(alertID: "x\(count - AlertIncidents.maxIncidents - 1)") == nil, "only the newest 500 are kept")

        // Firing again keeps the open incident; resolving closes that one, not a new one.
        let later = start.addingTimeInterval(Double(count + 60))
        await store.record([.fired(alert(count - 1), at: later), .resolved(alert(count - 1), at: later)])
        let resolved = try #require(await store.timeline(alertID: newestID))
        #expect(resolved.id == kept.id && resolved.status == .resolved && resolved.events.count == 2)
        #expect(await store.incidents(resourceID: "r-\(newestID)").count == 1)
        // A note by alert ID reaches the newest incident after the trim.
        #expect(await store.addNote("checked", user: nil, alertID: newestID, incidentID: nil, at: later))
        #expect(await store.timeline(alertID: newestID)?.events.last?.details?["note"] == .string("checked"))
    }
}

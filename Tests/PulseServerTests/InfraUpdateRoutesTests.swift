import AgentProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer

/// `/api/infra-updates` and the check commands: what agents report per container (Pulse v5's
/// `updateStatus`) is listed, counted and found; a check is queued as a `check_updates` command.
@Suite("Container image updates")
struct InfraUpdateRoutesTests {
    /// A Pulse v5 Docker report whose three containers are up to date, have an update, and failed their check.
    static func report(agentID: String = "daemon") -> String {
        let old = "sha256:" + String(repeating: "1", count: 64)
        let new = "sha256:" + String(repeating: "2", count: 64)
        func container(_ id: String, _ status: String) -> String {
            #"{"id":"\#(id)","name":"/\#(id)","image":"nginx:1.27","createdAt":"2025-06-15T14:00:00Z","state":"running","status":"Up","updateStatus":\#(status)}"#
        }
        let containers = [
            container(
                "current", #"{"updateAvailable":false,"currentDigest":"\#(old)","latestDigest":"\#(old)","lastChecked":"2025-06-15T15:00:00Z"}"#),
            container("stale", #"{"updateAvailable":true,"currentDigest":"\#(old)","latestDigest":"\#(new)","lastChecked":"2025-06-15T15:00:00Z"}"#),
            container("limited", #"{"updateAvailable":false,"lastChecked":"2025-06-15T15:00:00Z","error":"rate limited (429)"}"#),
        ]
        return
            #"{"agent":{"id":"\#(agentID)","version":"5.1.36","intervalSeconds":30},"host":{"hostname":"d1","runtime":"docker"},"containers":[\#(containers.joined(separator: ","))],"timestamp":"2025-06-15T15:06:40Z"}"#
    }

    @Test func updatesAndFailedChecksAreListedCountedAndFoundByResource() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["docker:report"])
            let reader = try await server.token(scopes: ["monitoring:read"])
            #expect(try await client.post("/api/agents/docker/report", token: agent, body: Self.report()).status == .ok)

            let list = try await client.execute(uri: "/api/infra-updates", method: .get, headers: .token(reader)) { try $0.jsonObject() }
            let updates = list.objects("updates")
            #expect(list["total"] as? Int == 2)
            #expect(Set(updates.compactMap { $0["containerId"] as? String }) == ["stale", "limited"], "an up-to-date container is not listed")
            let stale = try #require(updates.first { $0["containerId"] as? String == "stale" })
            #expect(stale["updateAvailable"] as? Bool == true && stale["containerName"] as? String == "stale")
            #expect(stale["hostId"] as? String == "daemon" && stale["resourceType"] as? String == "docker")
            #expect(stale["lastChecked"] as? Int == 1_749_999_600)
            #expect(updates.first { $0["containerId"] as? String == "limited" }?["error"] as? String == "rate limited (429)")

            let filtered = try await client.execute(uri: "/api/infra-updates?resourceType=vm", method: .get, headers: .token(reader)) {
                try $0.jsonObject()
            }
            #expect(filtered["total"] as? Int == 0)
            let host = try await client.execute(uri: "/api/infra-updates/host/daemon", method: .get, headers: .token(reader)) { try $0.jsonObject() }
            #expect(host["total"] as? Int == 2 && host["hostId"] as? String == "daemon")
            let other = try await client.execute(uri: "/api/infra-updates/host/nope", method: .get, headers: .token(reader)) { try $0.jsonObject() }
            #expect(other["total"] as? Int == 0)

            let summary = try await client.execute(uri: "/api/infra-updates/summary", method: .get, headers: .token(reader)) { try $0.jsonObject() }
            #expect(summary["totalUpdates"] as? Int == 2)
            #expect(((summary["summaries"] as? [String: Any])?["daemon"] as? [String: Any])?["totalCount"] as? Int == 2)

            for id in ["stale", "docker:daemon%2Fstale"] {
                try await client.execute(uri: "/api/infra-updates/\(id)", method: .get, headers: .token(reader)) { response in
                    #expect(response.status == .ok, "\(id)")
                    #expect(response.field("latestDigest", as: String.self) == "sha256:" + String(repeating: "2", count: 64))
                }
            }
            try await client.execute(uri: "/api/infra-updates/current", method: .get, headers: .token(reader)) { response in
                #expect(response.status == .notFound, "an up-to-date container has no update")
            }
        }
    }

    @Test func aCheckIsQueuedAsACommandTheNextReplyCarriesAndOnlyOneAtATime() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["docker:report"])
            let manager = try await server.token(scopes: ["docker:manage"])
            let writer = try await server.token(scopes: ["monitoring:write"])
            let reader = try await server.token(scopes: ["monitoring:read"])
            _ = try await client.post("/api/agents/docker/report", token: agent, body: Self.report())

            try await client.execute(uri: "/api/agents/docker/hosts/daemon/check-updates", method: .post, headers: .token(reader)) { response in
                #expect(response.status == .forbidden, "reading is not enough to send a command")
            }
            try await client.execute(uri: "/api/agents/docker/hosts/nope/check-updates", method: .post, headers: .token(manager)) { response in
                #expect(response.status == .notFound)
            }
            let commandID = try await client.execute(uri: "/api/agents/docker/hosts/daemon/check-updates", method: .post, headers: .token(manager)) {
                response in
                #expect(response.status == .ok)
                #expect(response.field("hostId", as: String.self) == "daemon")
                return try #require(response.field("commandId", as: String.self))
            }
            try await client.execute(uri: "/api/agents/docker/hosts/daemon/check-updates", method: .post, headers: .token(manager)) { response in
                #expect(response.status == .conflict, "a second check while the first is pending")
            }

            let reply = try await client.post("/api/agents/docker/report", token: agent, body: Self.report())
            let commands = try #require(try reply.jsonObject()["commands"] as? [[String: Any]])
            #expect(commands.first?["id"] as? String == commandID && commands.first?["type"] as? String == "check_updates")
            let ack = #"{"hostId":"daemon","status":"completed","message":"image update check started"}"#
            #expect(try await client.post("/api/agents/docker/commands/\(commandID)/ack", token: agent, body: ack).status == .ok)
            #expect(try await client.state().objects("dockerHosts").count == 1, "a completed check removes nothing")

            // The same through /api/infra-updates/check, by host and by resource.
            let byResource = try await client.post("/api/infra-updates/check", token: writer, body: #"{"resourceId":"docker:daemon/stale"}"#)
            #expect(byResource.status == .ok)
            #expect(try byResource.jsonObject()["hostId"] as? String == "daemon")
            #expect(try await client.post("/api/infra-updates/check", token: writer, body: #"{"hostId":"daemon"}"#).status == .conflict)
            let missing = try await client.post("/api/infra-updates/check", token: writer, body: "{}")
            #expect(missing.status == .badRequest)
            #expect(try missing.jsonObject()["code"] as? String == "missing_params")
            #expect(try await client.post("/api/infra-updates/check", token: writer, body: #"{"resourceId":"nope"}"#).status == .notFound)
            #expect(try await client.post("/api/infra-updates/check", token: reader, body: #"{"hostId":"daemon"}"#).status == .forbidden)
        }
    }

    @Test func theImageUpdateAlertIsOffByDefaultAndFiresWhenTurnedOn() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["docker:report"])
            _ = try await client.post("/api/agents/docker/report", token: agent, body: Self.report())
            await AlertEngineTests.evaluate(server)
            #expect(await !server.dependencies.alerts.active().contains { $0.type == "docker-container-update" })

            let put = try await client.execute(
                uri: "/api/alerts/config", method: .put, headers: [.apiToken: TestServer.adminToken],
                body: ByteBuffer(string: #"{"dockerDefaults":{"updateAlertDelayHours":0}}"#))
            #expect(put.status == .ok)
            await AlertEngineTests.evaluate(server)
            let alerts = await server.dependencies.alerts.active().filter { $0.type == "docker-container-update" }
            #expect(alerts.map(\.id) == ["docker-container-update-docker:daemon/stale"], "only the container with an update")
            #expect(alerts.first?.level == .warning)

            let tooLong = try await client.execute(
                uri: "/api/alerts/config", method: .put, headers: [.apiToken: TestServer.adminToken],
                body: ByteBuffer(string: #"{"dockerDefaults":{"updateAlertDelayHours":100000}}"#))
            #expect(tooLong.status == .badRequest)
        }
    }
}

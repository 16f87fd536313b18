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

@Suite("Agent lifecycle: lookup, removal, re-enrolment, commands")
struct AgentLifecycleTests {
    @Test func lookupFindsByIDHostnameAndShortName() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.post(
                "/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "pve1.lab.example", machineID: "m-1"))
            for query in ["id=m-1", "hostname=PVE1.lab.example", "hostname=pve1"] {
                try await client.execute(uri: "/api/agents/host/lookup?\(query)", method: .get, headers: .token(token)) { response in
                    #expect(response.status == .ok, "\(query)")
                    let host = try #require(try response.jsonObject()["host"] as? [String: Any])
                    #expect(host["id"] as? String == "m-1")
                    #expect(host["connected"] as? Bool == true)
                }
            }
            try await client.execute(uri: "/api/agents/host/lookup?hostname=nope", method: .get, headers: .token(token)) { response in
                #expect(response.status == .notFound)
                #expect(response.field("code", as: String.self) == "host_not_found")
            }
            let other = try await server.token(scopes: ["host-agent:report"])
            try await client.execute(uri: "/api/agents/host/lookup?id=m-1", method: .get, headers: .token(other)) { response in
                #expect(response.status == .forbidden, "another token's host is not disclosed")
            }
        }
    }

    @Test func removedHostIsBlockedFor24HoursUnlessReenrolmentIsAllowed() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            let manager = try await server.token(scopes: ["host-agent:manage"])
            _ = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "gone", machineID: "g"))
            try await client.execute(uri: "/api/agents/host/g", method: .delete, headers: .token(manager)) { response in
                #expect(response.status == .ok)
                #expect(response.field("tokenRevoked", as: Bool.self) == true, "a report-only token nobody else uses is revoked")
            }
            let state = try await client.state()
            #expect(state.objects("hosts").isEmpty)
            #expect(state.objects("removedHosts").first?["id"] as? String == "g")

            let fresh = try await server.token(scopes: ["host-agent:report"])
            let refused = try await client.post("/api/agents/host/report", token: fresh, body: AgentPayloads.host(hostname: "gone", machineID: "g"))
            #expect(refused.status == .badRequest)
            #expect(refused.field("error", as: String.self)?.contains("was removed") == true)

            try await client.execute(uri: "/api/agents/host/g/allow-reenroll", method: .post, headers: .token(manager)) { response in
                #expect(response.status == .ok)
            }
            #expect(
                try await client.post("/api/agents/host/report", token: fresh, body: AgentPayloads.host(hostname: "gone", machineID: "g")).status
                    == .ok)
        }
    }

    @Test func theBlockExpiresAfter24Hours() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report", "host-agent:manage"])
            _ = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "x", machineID: "x"))
            _ = try await client.execute(uri: "/api/agents/host/x", method: .delete, headers: .token(agent))
            server.time.advance(by: 24 * 3600 + 1)
            #expect(
                try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "x", machineID: "x")).status == .ok)
        }
    }

    @Test func onlineDockerHostIsAskedToStopThenRemovedOnItsAck() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["docker:report"])
            let manager = try await server.token(scopes: ["docker:manage"])
            _ = try await client.post("/api/agents/docker/report", token: agent, body: AgentPayloads.docker(hostname: "d", agentID: "daemon"))
            let commandID = try await client.execute(uri: "/api/agents/docker/hosts/daemon", method: .delete, headers: .token(manager)) { response in
                #expect(response.status == .ok)
                #expect(response.field("action", as: String.self) == "stop_queued")
                return try #require(response.field("commandId", as: String.self))
            }
            #expect(try await client.state().objects("dockerHosts").first?["pendingUninstall"] as? Bool == true)

            let reply = try await client.post(
                "/api/agents/docker/report", token: agent,
                body: AgentPayloads.docker(hostname: "d", agentID: "daemon", timestamp: "2025-06-15T15:07:10Z"))
            let commands = try #require(try reply.jsonObject()["commands"] as? [[String: Any]])
            #expect(commands.count == 1)
            #expect(commands.first?["id"] as? String == commandID)
            #expect(commands.first?["type"] as? String == "stop")

            let ack = #"{"hostId":"daemon","status":"complete","message":"service disabled"}"#
            let acked = try await client.post("/api/agents/docker/commands/\(commandID)/ack", token: agent, body: ack)
            #expect(acked.status == .ok)
            #expect((try acked.jsonObject()["command"] as? [String: Any])?["status"] as? String == "completed")
            let state = try await client.state()
            #expect(state.objects("dockerHosts").isEmpty)
            #expect(state.objects("removedDockerHosts").first?["id"] as? String == "daemon")
        }
    }

    @Test func offlineOrForcedDockerRemovalIsImmediateAndHideOnlyHides() async throws {
        try await TestServer.with { server, client in
            let manager = try await server.token(scopes: ["docker:manage"])
            for name in ["h", "f"] {
                let agent = try await server.token(scopes: ["docker:report"])
                _ = try await client.post("/api/agents/docker/report", token: agent, body: AgentPayloads.docker(hostname: name, agentID: name))
            }
            try await client.execute(uri: "/api/agents/docker/hosts/h?hide=true", method: .delete, headers: .token(manager)) { response in
                #expect(response.field("action", as: String.self) == "hidden")
            }
            try await client.execute(uri: "/api/agents/docker/hosts/f?force=true", method: .delete, headers: .token(manager)) { response in
                #expect(response.field("action", as: String.self) == "removed")
            }
            var hosts = try await client.state().objects("dockerHosts")
            #expect(hosts.map { $0["id"] as? String } == ["h"])
            #expect(hosts.first?["hidden"] as? Bool == true)
            try await client.execute(uri: "/api/agents/docker/hosts/h/unhide", method: .put, headers: .token(manager)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/api/agents/docker/hosts/h/display-name", method: .put, headers: .token(manager),
                body: ByteBuffer(string: #"{"displayName":"Build box"}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            hosts = try await client.state().objects("dockerHosts")
            #expect(hosts.first?["hidden"] as? Bool == false)
            #expect(hosts.first?["displayName"] as? String == "Build box")
        }
    }

    @Test func unansweredCommandsExpireAfterTenMinutes() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["docker:report"])
            _ = try await client.post(
                "/api/agents/docker/report", token: agent, body: AgentPayloads.docker(hostname: "d", agentID: "d", interval: 300))
            _ = try await client.execute(uri: "/api/agents/docker/hosts/d", method: .delete, headers: .token(TestServer.adminToken))
            server.time.advance(by: 601)
            let reply = try await client.post(
                "/api/agents/docker/report", token: agent,
                body: AgentPayloads.docker(hostname: "d", agentID: "d", interval: 300, timestamp: "2025-06-15T15:20:00Z"))
            #expect(try reply.jsonObject()["commands"] == nil)
            let host = try #require(try await client.state().objects("dockerHosts").first)
            #expect((host["command"] as? [String: Any])?["status"] as? String == "expired")
            #expect(host["pendingUninstall"] as? Bool == false)
        }
    }

    @Test func kubernetesClustersCanBeRemovedAndReenrolled() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["kubernetes:report"])
            _ = try await client.post("/api/agents/kubernetes/report", token: agent, body: AgentPayloads.kubernetes(clusterID: "k1", agentID: "a"))
            _ = try await client.execute(uri: "/api/agents/kubernetes/clusters/k1", method: .delete, headers: .token(TestServer.adminToken))
            #expect(
                try await client.post(
                    "/api/agents/kubernetes/report", token: TestServer.adminToken, body: AgentPayloads.kubernetes(clusterID: "k1", agentID: "a")
                ).status == .badRequest)
            _ = try await client.execute(
                uri: "/api/agents/kubernetes/clusters/k1/allow-reenroll", method: .post, headers: .token(TestServer.adminToken))
            #expect(
                try await client.post(
                    "/api/agents/kubernetes/report", token: TestServer.adminToken, body: AgentPayloads.kubernetes(clusterID: "k1", agentID: "a")
                ).status == .ok)
        }
    }
}

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

@Suite("Agent identity, token binding and de-duplication")
struct AgentIdentityTests {
    @Test(arguments: [
        ("Web-01.example.com", "web-01-example-com"),
        ("  --Büro__Server--  ", "büro-server"),
        (String(repeating: "a", count: 60), String(repeating: "a", count: 48)),
        ("%%%", ""),
    ])
    func sanitizeFollowsPulse(input: String, expected: String) {
        #expect(AgentIdentity.sanitize(input) == expected)
    }

    @Test func hostIDPrefersHostIDThenMachineIDThenAgentIDThenHostname() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let cases: [(String, String)] = [
                (AgentPayloads.host(hostname: "a", agentID: "agent-a", machineID: "MACHINE-A", hostID: "Host_A"), "host-a"),
                (AgentPayloads.host(hostname: "b", agentID: "agent-b", machineID: "Machine-B"), "machine-b"),
                (AgentPayloads.host(hostname: "c", agentID: "Agent C"), "agent-c"),
                (AgentPayloads.host(hostname: "d.example", agentID: ""), "d-example"),
            ]
            for (body, expected) in cases {
                let response = try await client.post("/api/agents/host/report", token: token, body: body)
                #expect(response.field("hostId", as: String.self) == expected)
            }
        }
    }

    @Test func aSecondMachineWithTheSameIDGetsAStableSuffixedID() async throws {
        try await TestServer.with { server, client in
            let first = try await server.token(scopes: ["host-agent:report"])
            let second = try await server.token(scopes: ["host-agent:report"])
            // Cloned VMs often share a machine-id.
            let original = try await client.post(
                "/api/agents/host/report", token: first, body: AgentPayloads.host(hostname: "vm1", machineID: "cloned"))
            #expect(original.field("hostId", as: String.self) == "cloned")
            let clone = try await client.post(
                "/api/agents/host/report", token: second, body: AgentPayloads.host(hostname: "vm2", machineID: "cloned"))
            let cloneID = try #require(clone.field("hostId", as: String.self))
            #expect(cloneID.hasPrefix("cloned-") && cloneID.count == "cloned-".count + 8)
            let again = try await client.post(
                "/api/agents/host/report", token: second,
                body: AgentPayloads.host(hostname: "vm2", machineID: "cloned", timestamp: "2025-06-15T15:07:10Z"))
            #expect(again.field("hostId", as: String.self) == cloneID, "the token+hostname binding keeps it stable")
            #expect(try await client.state().objects("hosts").count == 2)
        }
    }

    @Test func aDockerTokenBelongsToOneAgent() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["docker:report"])
            #expect(
                try await client.post("/api/agents/docker/report", token: token, body: AgentPayloads.docker(hostname: "d1", agentID: "daemon-1"))
                    .status == .ok)
            let intruder = try await client.post(
                "/api/agents/docker/report", token: token, body: AgentPayloads.docker(hostname: "d2", agentID: "daemon-2"))
            #expect(intruder.status == .badRequest)
            #expect(intruder.field("error", as: String.self)?.contains("already in use by agent daemon-1") == true)
            let state = try await client.state()
            #expect(state.objects("dockerHosts").map { $0["hostname"] as? String } == ["d1"])
        }
    }

    @Test func repeatedHeartbeatsAreAcknowledgedButNotAppliedTwice() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let body = AgentPayloads.host(hostname: "dup", sequence: "seq-7", readBytes: 100)
            let first = try await client.post("/api/agents/host/report", token: token, body: body)
            server.time.advance(by: 20)
            let retry = try await client.post("/api/agents/host/report", token: token, body: body)
            #expect(retry.status == .ok)
            #expect(retry.field("lastSeen", as: String.self) == first.field("lastSeen", as: String.self), "the repeat changed nothing")
            let host = try #require(try await client.state().objects("hosts").first)
            #expect(host["lastSeen"] as? Int64 == server.time.now().addingTimeInterval(-20).unixMillis)
        }
    }
}

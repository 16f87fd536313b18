import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import PulseAPI
@testable import PulseServer

/// `pulse-agent --enable-proxmox` registers its node with its own `host-agent:report` token:
/// only the node of a host that token reports as, at that host's own address.
@Suite("Proxmox auto-registration by a host agent's token")
struct AgentNodeRegistrationTests {
    static func register(
        _ client: any TestClientProtocol, token: String, serverName: String, host: String, type: String = "pve"
    ) async throws -> TestResponse {
        let body =
            #"{"type":"\#(type)","host":"\#(host)","serverName":"\#(serverName)","tokenId":"pulse-monitor@pam!pulse-\#(serverName.prefix { $0 != "." })","tokenValue":"0e1f2a3b-aaaa-bbbb-cccc-0123456789ab","source":"agent"}"#
        return try await client.post("/api/auto-register", token: token, body: body)
    }

    @Test func anAgentTokenRegistersTheNodeOfTheHostItReportsAs() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let early = try await Self.register(client, token: token, serverName: "pve-a.invalid", host: "https://pve-a.invalid:8006")
            #expect(early.status == .conflict && early.text.contains("host_not_reporting"), "\(early.text)")

            let report = try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "pve-a.invalid"))
            #expect(report.status == .ok)
            let reply = try await Self.register(client, token: token, serverName: "pve-a.invalid", host: "https://pve-a.invalid:8006")
            #expect(reply.status == .ok, "\(reply.text)")
            let stored = try #require(await server.dependencies.proxmoxInstances.all().first)
            #expect(stored.instance.host == "https://pve-a.invalid:8006" && stored.instance.tokenName == "pulse-monitor@pam!pulse-pve-a")
            #expect(stored.credentials.tokenValue == "0e1f2a3b-aaaa-bbbb-cccc-0123456789ab")

            // Again (an agent whose secret was lost makes a new token): the same instance, updated.
            let again = try await Self.register(client, token: token, serverName: "pve-a", host: "https://pve-a.invalid:8006")
            #expect(again.status == .ok, "\(again.text)")
            #expect(await server.dependencies.proxmoxInstances.all().count == 1)
        }
    }

    @Test func anotherHostsNodeOrAddressIsRefused() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let other = try await server.token(scopes: ["host-agent:report"])
            #expect(try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "pve-a.invalid")).status == .ok)
            #expect(
                try await client.post(
                    "/api/agents/host/report", token: other, body: AgentPayloads.host(hostname: "pve-b.invalid", agentID: "agent-2")
                ).status == .ok)

            // The other token's host, by name: not this token's.
            let foreignName = try await Self.register(client, token: token, serverName: "pve-b.invalid", host: "https://pve-b.invalid:8006")
            #expect(foreignName.status == .forbidden && foreignName.text.contains("serverName"), "\(foreignName.text)")
            // Its own name, but another machine's address.
            let foreignAddress = try await Self.register(client, token: token, serverName: "pve-a.invalid", host: "https://pve-b.invalid:8006")
            #expect(foreignAddress.status == .forbidden && foreignAddress.text.contains("host"), "\(foreignAddress.text)")
            let arbitrary = try await Self.register(client, token: token, serverName: "pve-a.invalid", host: "https://10.9.8.7:8006")
            #expect(arbitrary.status == .forbidden)
            #expect(await server.dependencies.proxmoxInstances.all().isEmpty)
        }
    }

    @Test func aTokenWithoutTheAgentScopeNeedsSettingsWrite() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            #expect(try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "pve-a.invalid")).status == .ok)
            for scopes in [["monitoring:read"], ["docker:report"]] {
                let token = try await server.token(scopes: scopes)
                let reply = try await Self.register(client, token: token, serverName: "pve-a.invalid", host: "https://pve-a.invalid:8006")
                #expect(reply.status == .forbidden && reply.text.contains("missing_scope"), "\(scopes): \(reply.text)")
            }
            // Without "source":"agent" an agent token is an ordinary caller, which needs settings:write.
            let plain = try await client.post(
                "/api/auto-register", token: agent,
                body:
                    #"{"type":"pve","host":"https://pve-a.invalid:8006","serverName":"pve-a.invalid","tokenId":"pulse-monitor@pam!x","tokenValue":"abc"}"#
            )
            #expect(plain.status == .forbidden && plain.text.contains("missing_scope"), "\(plain.text)")
            #expect(await server.dependencies.proxmoxInstances.all().isEmpty)
        }
    }

    @Test(arguments: [
        ("https://pve-a:8006", "pve-a"), ("https://[fd00::1]:8006", "fd00::1"), ("https://192.0.2.10:8007", "192.0.2.10"),
    ])
    func theAddressOfANodeURL(url: String, address: String) {
        #expect(AgentNodeRegistration.addressPart(of: url) == address)
    }
}

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

/// Security finding 4: a second report token took over another token's host, Docker host or
/// cluster by reporting the same identity, and varying hostnames or cluster IDs created records
/// without bound.
@Suite("Agent records belong to the token that enrolled them")
struct EnrolmentOwnershipTests {
    @Test func anotherTokenCannotTakeOverAHost() async throws {
        try await TestServer.with { server, client in
            let owner = try await server.token(scopes: ["host-agent:report"])
            let intruder = try await server.token(scopes: ["host-agent:report"])
            let original = AgentPayloads.host(hostname: "db-1", agentID: "agent-db", machineID: "m-db", hostID: "db-1", cpu: 10)
            #expect(try await client.post("/api/agents/host/report", token: owner, body: original).status == .ok)
            let forged = AgentPayloads.host(
                hostname: "db-1", agentID: "agent-db", machineID: "m-db", hostID: "db-1", timestamp: "2025-06-15T15:07:40Z", cpu: 99)
            let refused = try await client.post("/api/agents/host/report", token: intruder, body: forged)
            #expect(refused.status == .conflict)
            #expect(refused.field("code", as: String.self) == "identity_conflict")
            let hosts = try await client.state().objects("hosts")
            #expect(hosts.count == 1)
            #expect(await server.dependencies.state.hosts["db-1"]?.report.metrics.cpuUsagePercent == 10, "the owner's data is unchanged")
            // The owner keeps reporting.
            let next = AgentPayloads.host(
                hostname: "db-1", agentID: "agent-db", machineID: "m-db", hostID: "db-1", timestamp: "2025-06-15T15:08:10Z", cpu: 11)
            #expect(try await client.post("/api/agents/host/report", token: owner, body: next).status == .ok)
        }
    }

    @Test func oneHostTokenStillEnrolsAFleet() async throws {
        try await TestServer.with { server, client in
            let fleet = try await server.token(scopes: ["host-agent:report"])
            for index in 0..<20 {
                let body = AgentPayloads.host(hostname: "node-\(index)", agentID: "agent-\(index)", machineID: "m-\(index)")
                #expect(try await client.post("/api/agents/host/report", token: fleet, body: body).status == .ok)
            }
            #expect(try await client.state().objects("hosts").count == 20)
        }
    }

    @Test func aDockerHostMatchedByMachineIDAndHostnameIsNotTakenOver() async throws {
        try await TestServer.with { server, client in
            let owner = try await server.token(scopes: ["docker:report"])
            let intruder = try await server.token(scopes: ["docker:report"])
            #expect(
                try await client.post(
                    "/api/agents/docker/report", token: owner,
                    body: AgentPayloads.docker(hostname: "dock-1", agentID: "daemon-1", machineID: "m-dock")
                ).status == .ok)
            let refused = try await client.post(
                "/api/agents/docker/report", token: intruder,
                body: AgentPayloads.docker(
                    hostname: "dock-1", agentID: "daemon-evil", machineID: "m-dock", timestamp: "2025-06-15T15:07:40Z", containers: 0))
            #expect(refused.status == .conflict)
            #expect(refused.field("code", as: String.self) == "identity_conflict")
            let docker = try await client.state().objects("dockerHosts")
            #expect(docker.count == 1)
            #expect(await server.dependencies.state.dockerHosts.values.first?.report.containers.count == 2)
        }
    }

    @Test func aClusterIDFromTheBodyIsNotEnoughToTakeOverACluster() async throws {
        try await TestServer.with { server, client in
            let owner = try await server.token(scopes: ["kubernetes:report"])
            let intruder = try await server.token(scopes: ["kubernetes:report"])
            #expect(
                try await client.post(
                    "/api/agents/kubernetes/report", token: owner, body: AgentPayloads.kubernetes(clusterID: "prod", agentID: "k-1")
                ).status == .ok)
            let refused = try await client.post(
                "/api/agents/kubernetes/report", token: intruder,
                body: AgentPayloads.kubernetes(clusterID: "prod", agentID: "k-evil", timestamp: "2025-06-15T15:07:40Z"))
            #expect(refused.status == .conflict)
            #expect(await server.dependencies.state.kubernetesClusters["prod"]?.agentID == "k-1")
        }
    }

    @Test func aDeletedHostMayBeEnrolledByAnotherTokenOnceReEnrolmentIsAllowed() async throws {
        try await TestServer.with { server, client in
            let owner = try await server.token(scopes: ["host-agent:report"])
            let successor = try await server.token(scopes: ["host-agent:report"])
            let body = AgentPayloads.host(hostname: "web-9", hostID: "web-9")
            #expect(try await client.post("/api/agents/host/report", token: owner, body: body).status == .ok)
            #expect(try await client.execute(uri: "/api/agents/host/web-9", method: .delete, headers: .token(TestServer.adminToken)).status == .ok)
            #expect(
                try await client.execute(
                    uri: "/api/agents/host/web-9/allow-reenroll", method: .post, headers: .token(TestServer.adminToken)
                ).status == .ok)
            let later = AgentPayloads.host(hostname: "web-9", hostID: "web-9", timestamp: "2025-06-15T15:09:40Z")
            #expect(try await client.post("/api/agents/host/report", token: successor, body: later).status == .ok)
            #expect(await server.dependencies.state.hosts["web-9"]?.token?.id != nil)
        }
    }

    @Test func oneTokenCannotCreateRecordsWithoutBound() async throws {
        try await TestServer.with(configure: { $0.enrolmentLimits.recordsPerToken = 3 }) { server, client in
            let token = try await server.token(scopes: ["host-agent:report", "kubernetes:report"])
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<5 {
                let body = AgentPayloads.host(hostname: "spray-\(index)", agentID: "a-\(index)", machineID: "m-\(index)")
                statuses.append(try await client.post("/api/agents/host/report", token: token, body: body).status)
            }
            #expect(statuses == [.ok, .ok, .ok, .forbidden, .forbidden])
            let refused = try await client.post(
                "/api/agents/kubernetes/report", token: token, body: AgentPayloads.kubernetes(clusterID: "spray-cluster", agentID: "k"))
            #expect(refused.status == .forbidden)
            #expect(refused.field("code", as: String.self) == "limit_exceeded")
            #expect(try await client.state().objects("hosts").count == 3)
            // Hosts already enrolled keep reporting.
            let again = AgentPayloads.host(hostname: "spray-0", agentID: "a-0", machineID: "m-0", timestamp: "2025-06-15T15:09:40Z")
            #expect(try await client.post("/api/agents/host/report", token: token, body: again).status == .ok)
        }
    }

    @Test func theServerHoldsABoundedNumberOfRecordsInAll() async throws {
        try await TestServer.with(configure: { $0.enrolmentLimits.totalRecords = 2 }) { server, client in
            for index in 0..<3 {
                let token = try await server.token(scopes: ["host-agent:report"])
                let status = try await client.post(
                    "/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "h\(index)", agentID: "a\(index)")
                ).status
                #expect(status == (index < 2 ? .ok : .forbidden))
            }
        }
    }

    @Test func aReportWithTooManyContainersIsRefusedNamingTheLimit() async throws {
        try await TestServer.with(configure: { $0.enrolmentLimits.containersPerReport = 5 }) { server, client in
            let token = try await server.token(scopes: ["docker:report"])
            let response = try await client.post(
                "/api/agents/docker/report", token: token, body: AgentPayloads.docker(hostname: "big", agentID: "d", containers: 6))
            #expect(response.status == .contentTooLarge)
            #expect(response.field("details", as: [String: String].self) == ["field": "containers", "limit": "5"])
            #expect(try await client.state().objects("dockerHosts").isEmpty)
        }
    }
}

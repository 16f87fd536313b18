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

@Suite("Agent reports: the ingest path")
struct AgentIngestTests {
    @Test func pulseV5HostReportIsAcceptedAndShownUnderItsMachineID() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let response = try await client.post("/api/agents/host/report", token: token, body: try AgentPayloads.fixture("host-report-maximal"))
            #expect(response.status == .ok)
            let reply = try response.jsonObject()
            #expect(reply["success"] as? Bool == true)
            #expect(reply["hostId"] as? String == "4f1c2a9e-7b3d-4e8a-9c61-0d5b2e8f7a13")
            #expect(reply["lastSeen"] as? String == RFC3339Expect.string(server.time.now()))
            #expect(reply["osName"] as? String != nil)

            let hosts = try await client.state().objects("hosts")
            let host = try #require(hosts.first)
            #expect(host["id"] as? String == "4f1c2a9e-7b3d-4e8a-9c61-0d5b2e8f7a13")
            #expect(host["hostname"] as? String == "atlas")
            #expect(host["status"] as? String == "online")
            #expect(host["lastSeen"] as? Int64 == server.time.now().unixMillis, "lastSeen is the server's receive time in ms")
            #expect(host["reportedAt"] as? Int64 == 1_732_383_727_123, "the agent clock is kept separately")
            #expect(host["isLegacy"] as? Bool == false)
            #expect((host["sensors"] as? [String: Any])?["temperatureCelsius"] != nil)
            let health = try await client.state()["connectionHealth"] as? [String: Bool]
            #expect(health?["host-4f1c2a9e-7b3d-4e8a-9c61-0d5b2e8f7a13"] == true)
        }
    }

    @Test func legacyAndMinimalHostReportsAreAccepted() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            for fixture in ["host-report-legacy", "host-report-minimal"] {
                let response = try await client.post("/api/agents/host/report", token: token, body: try AgentPayloads.fixture(fixture))
                #expect(response.status == .ok, "\(fixture): \(response.text)")
            }
            let hosts = try await client.state().objects("hosts")
            #expect(Set(hosts.compactMap { $0["id"] as? String }) == ["mac-525400a1b2c3", "b5e1d2c3-0a9f-4e8d-8c7b-6a5f4e3d2c1b"])
            #expect(hosts.first { $0["id"] as? String == "mac-525400a1b2c3" }?["isLegacy"] as? Bool == true)
        }
    }

    @Test func dockerAndKubernetesFixturesAreAccepted() async throws {
        try await TestServer.with { server, client in
            let docker = try await server.token(scopes: ["docker:report"])
            let dockerReply = try await client.post(
                "/api/agents/docker/report", token: docker, body: try AgentPayloads.fixture("docker-report-maximal"))
            #expect(dockerReply.status == .ok, "\(dockerReply.text)")
            let dockerBody = try dockerReply.jsonObject()
            #expect(dockerBody["hostId"] as? String == "KQ7Z:3XWV:PL2M:7RTA:Q4NB:YH6C:UE5D:JK8S:M2FG:VB9X:CN1A:ZW3E")
            let containerCount = try #require(dockerBody["containers"] as? Int)
            #expect(containerCount >= 4)
            #expect(dockerBody["commands"] == nil)

            let kubernetes = try await server.token(scopes: ["kubernetes:report"])
            let k8sReply = try await client.post(
                "/api/agents/kubernetes/report", token: kubernetes, body: try AgentPayloads.fixture("kubernetes-report-maximal"))
            #expect(k8sReply.status == .ok, "\(k8sReply.text)")
            #expect(k8sReply.field("clusterId", as: String.self) == "5d41402abc4b2a76b9719d911017c592ae1f3b6c0e8f9a7d2c4b1e0f3a6d9c8b")

            let state = try await client.state()
            let dockerHost = try #require(state.objects("dockerHosts").first)
            #expect(dockerHost["hostname"] as? String == "dockhand")
            let containers = dockerHost["containers"] as? [[String: Any]] ?? []
            #expect(containers.count == containerCount)
            #expect(containers.allSatisfy { $0["createdAt"] is Int64 }, "container times are unix ms")
            let cluster = try #require(state.objects("kubernetesClusters").first)
            #expect(cluster["name"] as? String == "homelab")
            #expect((cluster["nodes"] as? [[String: Any]])?.first?["capacityCpuCores"] != nil, "node resources are flattened")
        }
    }

    @Test func badReportsAreRejectedWhileOtherHostsKeepTheirData() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            #expect(
                try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "good", agentID: "good")).status
                    == .ok)

            let oversized = try await client.post(
                "/api/agents/host/report", token: token,
                body: AgentPayloads.host(hostname: "big", agentID: String(repeating: "x", count: 300 * 1024)))
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.field("error", as: String.self)?.contains("256 KiB") == true)

            let malformed = try await client.post("/api/agents/host/report", token: token, body: #"{"agent": {"id": "x"}, "host": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.field("code", as: String.self) == "invalid_json")

            let nameless = try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "  ", agentID: "anon"))
            #expect(nameless.status == .badRequest)
            #expect(nameless.field("code", as: String.self) == "invalid_report")
            #expect(nameless.field("error", as: String.self)?.contains("host.hostname") == true)

            let negative = try await client.post(
                "/api/agents/host/report", token: token,
                body: AgentPayloads.host(hostname: "neg", agentID: "neg").replacingOccurrences(of: "\"totalBytes\":100000", with: "\"totalBytes\":-5")
            )
            #expect(negative.status == .badRequest)
            #expect(negative.field("details", as: [String: String].self)?["field"] == "disks[0].totalBytes")

            let dockerOnly = try await server.token(scopes: ["docker:report"])
            let wrongScope = try await client.post(
                "/api/agents/host/report", token: dockerOnly, body: AgentPayloads.host(hostname: "x", agentID: "x"))
            #expect(wrongScope.status == .forbidden)
            #expect(wrongScope.field("requiredScope", as: String.self) == "host-agent:report")

            let hosts = try await client.state().objects("hosts")
            #expect(hosts.map { $0["hostname"] as? String } == ["good"], "only the good report landed, and it is still there")
        }
    }

    @Test func percentagesAboveHundredAreClamped() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            #expect(
                try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "hot", cpu: 100.4)).status == .ok)
            #expect(try await client.state().objects("hosts").first?["cpuUsage"] as? Double == 100)
        }
    }

    @Test func perCoreUsageIsKeptClampedAndANegativeCoreNamesItsIndex() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            func report(cores: [Double]) -> String {
                AgentPayloads.host(hostname: "cores").replacingOccurrences(
                    of: #""cpuUsagePercent":"#, with: #""cpuPerCorePercent":\#(cores),"cpuUsagePercent":"#)
            }
            #expect(try await client.post("/api/agents/host/report", token: token, body: report(cores: [12.5, 100.2])).status == .ok)
            #expect(try await client.state().objects("hosts").first?["cpuPerCore"] as? [Double] == [12.5, 100])
            let refused = try await client.post("/api/agents/host/report", token: token, body: report(cores: [3, -1]))
            #expect(refused.status == .badRequest)
            #expect(refused.field("error", as: String.self)?.contains("metrics.cpuPerCorePercent[1]") == true)
        }
    }

    @Test func agentCephStatusBecomesOneClusterPerFSIDNewestReportWinning() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            func report(host: String, status: String, checks: String, osdsUp: Int) -> String {
                let ceph =
                    #"{"fsid":"5d2f7c3e","health":{"status":"\#(status)","checks":\#(checks)},"monMap":{"epoch":3,"numMons":3},"mgrMap":{"available":true,"numMgrs":2,"standbys":1},"osdMap":{"epoch":9,"numOsds":6,"numUp":\#(osdsUp),"numIn":6},"pgMap":{"numPgs":129,"bytesTotal":1000,"bytesUsed":250,"bytesAvailable":750,"usagePercent":25},"pools":[{"id":2,"name":"vm-pool","bytesUsed":250,"bytesAvailable":700,"objects":12,"percentUsed":26.3}],"collectedAt":"2025-06-15T12:00:00Z"}"#
                return AgentPayloads.host(hostname: host, agentID: host).replacingOccurrences(
                    of: #""timestamp":"#, with: #""ceph":\#(ceph),"timestamp":"#)
            }
            #expect(
                try await client.post(
                    "/api/agents/host/report", token: token, body: report(host: "pve1", status: "HEALTH_OK", checks: "{}", osdsUp: 6)
                ).status == .ok)
            server.time.advance(by: 5)
            let warn = #"{"OSD_DOWN":{"severity":"HEALTH_WARN","message":"2 osds down"}}"#
            #expect(
                try await client.post(
                    "/api/agents/host/report", token: token, body: report(host: "pve2", status: "HEALTH_WARN", checks: warn, osdsUp: 4)
                ).status == .ok)

            let clusters = try await client.state().objects("cephClusters")
            #expect(clusters.count == 1, "both nodes report the same cluster")
            let cluster = try #require(clusters.first)
            #expect(cluster["id"] as? String == "ceph-5d2f7c3e")
            #expect(cluster["health"] as? String == "HEALTH_WARN")
            #expect(cluster["healthMessage"] as? String == "2 osds down")
            #expect(cluster["numOsdsUp"] as? Int == 4 && cluster["numOsds"] as? Int == 6)
            #expect(cluster["usagePercent"] as? Double == 25 && cluster["totalBytes"] as? Int == 1000)
            #expect((cluster["pools"] as? [[String: Any]])?.first?["name"] as? String == "vm-pool")
            #expect(
                cluster["instance"] as? String == "agent:"
                    + ((try await client.state().objects("hosts")).first { $0["hostname"] as? String == "pve2" }?["id"] as? String ?? "?"))
        }
    }

    @Test func reportTokensCannotReadAnythingElse() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report", "docker:report", "kubernetes:report"])
            for path in ["/api/state", "/api/security/tokens"] {
                try await client.execute(uri: path, method: .get, headers: .token(token)) { response in
                    #expect(response.status == .forbidden, "\(path)")
                }
            }
        }
    }

    @Test func ratesComeFromConsecutiveReportsAndSurviveCounterResets() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            func report(_ time: String, read: UInt64, rx: UInt64) async throws {
                let response = try await client.post(
                    "/api/agents/host/report", token: token,
                    body: AgentPayloads.host(hostname: "io", timestamp: time, readBytes: read, rxBytes: rx))
                #expect(response.status == .ok)
                server.time.advance(by: 30)
            }
            func rates() async throws -> (read: Double?, rx: Double?) {
                let host = try await client.state().objects("hosts").first
                let disk = (host?["diskIO"] as? [[String: Any]])?.first
                let nic = (host?["networkInterfaces"] as? [[String: Any]])?.first
                return (disk?["readBytesPerSecond"] as? Double, nic?["rxBytesPerSecond"] as? Double)
            }
            try await report("2025-06-15T12:00:00Z", read: 1_000_000, rx: 10_000)
            #expect(try await rates().read == nil, "no rate from a single reading")
            try await report("2025-06-15T12:00:30Z", read: 1_300_000, rx: 40_000)
            #expect(try await rates().read == 10_000)
            #expect(try await rates().rx == 1_000)
            try await report("2025-06-15T12:01:00Z", read: 500, rx: 100)  // reboot: counters restart
            #expect(try await rates().read == nil, "a reset yields no rate, never a negative one")
            #expect(try await rates().rx == nil)
            try await report("2025-06-15T12:01:10Z", read: 20_500, rx: 1_100)
            #expect(try await rates().read == 2_000, "rates use the agent's 10 s between readings")
            #expect(try await rates().rx == 100)
        }
    }

    @Test func containerBlockIORatesAreDerived() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["docker:report"])
            _ = try await client.post(
                "/api/agents/docker/report", token: token,
                body: AgentPayloads.docker(hostname: "d", agentID: "d1", timestamp: "2025-06-15T12:00:00Z", readBytes: 0))
            _ = try await client.post(
                "/api/agents/docker/report", token: token,
                body: AgentPayloads.docker(hostname: "d", agentID: "d1", timestamp: "2025-06-15T12:00:30Z", readBytes: 3_000))
            let container = try await client.state().objects("dockerHosts").first?.objects("containers").first
            let blockIo = try #require(container?["blockIo"] as? [String: Any])
            #expect(blockIo["readRateBytesPerSecond"] as? Double == 100)
        }
    }
}

/// RFC 3339 as the server writes it, for comparisons.
enum RFC3339Expect {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

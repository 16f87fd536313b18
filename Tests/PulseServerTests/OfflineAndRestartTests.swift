import AgentProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AgentJSONFoundation
@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Offline detection on the server clock, and state across restarts")
struct OfflineAndRestartTests {
    @Test(arguments: [(0, 360.0), (5, 60.0), (30, 180.0), (200, 600.0)])
    /// An unknown interval (0) counts as 60 s, so six of them make six minutes.
    func hostWindowIsSixIntervalsClamped(interval: Int, window: Double) {
        #expect(OfflinePolicy.hostWindow(intervalSeconds: interval) == window)
    }

    @Test(arguments: [(0, 30.0), (30, 120.0), (500, 600.0)])
    func containerAgentWindowIsFourIntervalsClamped(interval: Int, window: Double) {
        #expect(OfflinePolicy.containerAgentWindow(intervalSeconds: interval) == window)
    }

    @Test func hostGoesOfflineAfterItsWindowAndComesBackOnTheNextReport() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            // The agent's clock is a year off: it must not matter.
            let skewed = AgentPayloads.host(hostname: "skew", interval: 30, timestamp: "2024-06-15T15:06:40Z")
            #expect(try await client.post("/api/agents/host/report", token: token, body: skewed).status == .ok)
            #expect(try await client.state().objects("hosts").first?["status"] as? String == "online")

            server.time.advance(by: 180)
            #expect(try await client.state().objects("hosts").first?["status"] as? String == "online", "exactly 6×30 s is still online")
            server.time.advance(by: 1)
            let transitions = await server.dependencies.state.evaluateStatuses()
            #expect(transitions == ["host-agent-1": .offline])
            let state = try await client.state()
            #expect(state.objects("hosts").first?["status"] as? String == "offline")
            #expect((state["connectionHealth"] as? [String: Bool])?["host-agent-1"] == false)

            let next = AgentPayloads.host(hostname: "skew", interval: 30, timestamp: "2024-06-15T15:09:41Z")
            #expect(try await client.post("/api/agents/host/report", token: token, body: next).status == .ok)
            #expect(try await client.state().objects("hosts").first?["status"] as? String == "online")
        }
    }

    @Test func dockerAndKubernetesUseTheShorterWindow() async throws {
        try await TestServer.with { server, client in
            let docker = try await server.token(scopes: ["docker:report"])
            let kubernetes = try await server.token(scopes: ["kubernetes:report"])
            _ = try await client.post(
                "/api/agents/docker/report", token: docker, body: AgentPayloads.docker(hostname: "d", agentID: "d", interval: 10))
            _ = try await client.post(
                "/api/agents/kubernetes/report", token: kubernetes, body: AgentPayloads.kubernetes(clusterID: "k", agentID: "k"))
            server.time.advance(by: 41)  // docker: 4×10 s = 40 s; kubernetes: 4×60 s = 240 s
            let state = try await client.state()
            #expect(state.objects("dockerHosts").first?["status"] as? String == "offline")
            #expect(state.objects("kubernetesClusters").first?["status"] as? String == "online")
        }
    }

    @Test func aRecordOnDiskIsRewrittenAtMostEvery30SecondsButNewOnesAndShutdownWriteAtOnce() async throws {
        // The flush service runs on real time; here the test takes the pending changes itself.
        try await TestServer.with(configure: { $0.persistenceFlushInterval = .seconds(86_400) }) { server, client in
            let state = server.dependencies.state
            let host = AgentRef(kind: .host, id: "h1")
            _ = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "a", hostID: "h1", cpu: 1))
            #expect(await state.takePendingChanges(rewriteAfter: 30).records.map(\.0) == [host], "a new record is written at once")
            server.time.advance(by: 10)
            _ = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken,
                body: AgentPayloads.host(hostname: "a", hostID: "h1", timestamp: "2025-06-15T15:06:50Z", cpu: 2))
            _ = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken,
                body: AgentPayloads.host(hostname: "b", agentID: "agent-2", hostID: "h2", cpu: 3))
            #expect(await state.takePendingChanges(rewriteAfter: 30).records.map(\.0.id) == ["h2"], "h1 waits; the new h2 does not")
            server.time.advance(by: 21)
            let due = await state.takePendingChanges(rewriteAfter: 30).records
            #expect(due.map(\.0) == [host], "31 s after its last write h1 is written again, with its newest report")
            if case .host(let record)? = due.first?.1 { #expect(record.report.metrics.cpuUsagePercent == 2) } else { Issue.record("no host record") }
            _ = try await client.post(
                "/api/agents/host/report", token: TestServer.adminToken,
                body: AgentPayloads.host(hostname: "a", hostID: "h1", timestamp: "2025-06-15T15:07:20Z", cpu: 4))
            #expect(await state.takePendingChanges(rewriteAfter: 30).records.isEmpty)
            #expect(await state.takePendingChanges(rewriteAfter: 0).records.map(\.0) == [host], "shutdown writes everything pending")
        }
    }

    @Test func changesAreWrittenInChunksAndAllReadBack() async throws {
        // Without the flush service, so all five changes are still pending for the chunked save.
        try await TestServer.with(configure: { $0.persistenceFlushInterval = .seconds(86_400) }) { server, client in
            for index in 0..<5 {
                let body = AgentPayloads.host(hostname: "n\(index)", agentID: "agent-\(index)", hostID: "h\(index)")
                _ = try await client.post("/api/agents/host/report", token: TestServer.adminToken, body: body)
            }
            let persistence = server.dependencies.statePersistence
            let pending = await server.dependencies.state.takePendingChanges()
            #expect(pending.records.count == 5)
            try persistence.save(pending, chunkSize: 2)
            #expect(try persistence.load().hosts.map(\.id).sorted() == ["h0", "h1", "h2", "h3", "h4"])
        }
    }

    /// Records are written member after member (`StreamingJSONEncoder`); each row is the same
    /// document the agents' Foundation encoder writes (compared as parsed JSON: Foundation's member
    /// order varies) and reads back to the same record.
    @Test func aWrittenRecordIsTheDocumentFoundationWritesAndReadsBack() async throws {
        try await TestServer.with(configure: { $0.persistenceFlushInterval = .seconds(86_400) }) { server, client in
            let docker = AgentPayloads.docker(hostname: "dk", agentID: "daemon", containers: 3)
            #expect(try await client.post("/api/agents/docker/report", token: TestServer.adminToken, body: docker).status == .ok)
            #expect(
                try await client.post("/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "h")).status == .ok)
            let pending = await server.dependencies.state.takePendingChanges()
            let batch = try server.dependencies.statePersistence.encode(pending)
            #expect(batch.upserts.count == 2)
            let foundation = AgentJSON.makeEncoder()
            for ((ref, written), (_, record)) in zip(batch.upserts, pending.records) {
                let expected: Data
                switch record {
                case .docker(let value): expected = try foundation.encode(value)
                case .host(let value): expected = try foundation.encode(value)
                default:
                    Issue.record("unexpected record \(ref)")
                    continue
                }
                let parsed = try JSONSerialization.jsonObject(with: written) as? NSDictionary
                let reference = try JSONSerialization.jsonObject(with: expected) as? NSDictionary
                #expect(parsed != nil && parsed == reference, "\(ref)")
            }
            try server.dependencies.statePersistence.write(batch)
            let saved = try server.dependencies.statePersistence.load()
            #expect(saved.unreadable == 0)
            #expect(saved.dockerHosts.first?.report.containers.map(\.id) == ["c0", "c1", "c2"])
            #expect(saved.dockerHosts.first?.report.containers.first?.startedAt == RFC3339.parse("2025-06-15T14:00:01Z"))
            #expect(saved.hosts.map(\.hostname) == ["h"])
        }
    }

    @Test func stateSurvivesARestartAndGraceStartsAtBoot() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = String(repeating: "5e", count: 32)
        try await TestServer.with(configure: { $0.apiTokens.append(token) }, dataDirectory: folder) { server, client in
            #expect(
                try await client.post("/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "keep", readBytes: 100)).status
                    == .ok)
            #expect(
                try await client.post("/api/agents/docker/report", token: token, body: AgentPayloads.docker(hostname: "dk", agentID: "daemon")).status
                    == .ok)
            try server.dependencies.statePersistence.save(await server.dependencies.state.takePendingChanges())
        }
        // The new server's clock starts an hour later: far beyond every offline window.
        try await TestServer.with(configure: { $0.apiTokens.append(token) }, dataDirectory: folder) { server, client in
            server.time.advance(by: 3600)
            _ = await server.dependencies.state.evaluateStatuses()
            let state = try await client.state()
            let host = try #require(state.objects("hosts").first)
            #expect(host["hostname"] as? String == "keep")
            #expect(host["status"] as? String == "offline", "an hour after boot with no report")
            #expect(state.objects("dockerHosts").first?["hostname"] as? String == "dk")
            // Counters from before the restart still give a rate with the next report.
            let next = AgentPayloads.host(hostname: "keep", timestamp: "2025-06-15T15:07:40Z", readBytes: 6_100)
            #expect(try await client.post("/api/agents/host/report", token: token, body: next).status == .ok)
            let disk = try #require(try await client.state().objects("hosts").first?.objects("diskIO").first)
            #expect(disk["readBytesPerSecond"] as? Double == 100)
        }
    }

    @Test func freshlyRestoredAgentsAreOnlineUntilTheirWindowPassesAfterBoot() async throws {
        let time = ManualTimeSource()
        let state = MonitoringState(time: time)
        let report = try AgentJSONTesting.decodeHost(AgentPayloads.host(hostname: "old"))
        // Last heard of a day before this server started.
        let record = HostAgentRecord(id: "old", report: report, receivedAt: time.now().addingTimeInterval(-86_400))
        await state.restore(.init(hosts: [record]))
        #expect(await state.snapshot().hosts.first?.status == "online")
        time.advance(by: 181)
        #expect(await state.snapshot().hosts.first?.status == "offline")
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import HistoryQuery
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// History and charts answered by a real Prometheus-compatible engine (Debian's
/// VictoriaMetrics and Prometheus) seeded with the families `/metrics` exposes, and by the
/// local store when the engine is gone.
@Suite("History from a time-series engine: VictoriaMetrics and Prometheus, local fallback")
struct HistoryEngineTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]
    static let sourceHeader = HTTPField.Name(HistorySourceKind.headerName)!

    /// The server reads the engine as `pulse_instance="a"`.
    static func engine(_ url: String, timeout: Duration = .seconds(5)) -> (inout ServerConfiguration) -> Void {
        { configuration in
            configuration.instanceName = "a"
            var settings = HistoryEngineSettings(url: url, instanceName: "a")
            settings.timeout = timeout
            configuration.historyEngine = settings
        }
    }

    /// Moves the server's manual clock to the real time the engine's samples are seeded around.
    static func toRealTime(_ server: TestServer) {
        server.time.advance(by: Date().timeIntervalSince1970 - server.time.now().timeIntervalSince1970)
    }

    static func percentEncoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    /// `pulse_host_cpu_usage_ratio` of host `id` every minute over the last two hours.
    static func hostCPU(id: String, instance: String, now: Int64, value: (Int) -> Double) -> [TSDBPeer.Sample] {
        (0..<120).map { index in
            TSDBPeer.Sample(
                name: "pulse_host_cpu_usage_ratio", labels: [("id", id), ("hostname", "web-1"), ("pulse_instance", instance)],
                value: value(index), timestamp: now - 7200 + Int64(index) * 60)
        }
    }

    static func cpu(_ index: Int) -> Double { 0.2 + Double(index % 40) / 100 }

    @Test(.timeLimit(.minutes(5)), arguments: TSDBPeer.Engine.allCases)
    func aHostsHistoryComesFromTheEngineAsPercentOfThisInstanceOnly(engine: TSDBPeer.Engine) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let seed = Self.hostCPU(id: "h1", instance: "a", now: now, value: Self.cpu) + Self.hostCPU(id: "h1", instance: "b", now: now) { _ in 0.99 }
        try await TSDBPeer.with(engine, seed: seed) { peer in
            try await TestServer.with(configure: Self.engine(peer.url)) { server, client in
                Self.toRealTime(server)
                let response = try await client.execute(
                    uri: "/api/metrics-store/history?resourceType=host&resourceId=h1&metric=cpu&range=1h", method: .get, headers: Self.admin)
                #expect(response.status == .ok)
                #expect(response.headers[Self.sourceHeader] == "prometheus")
                let body = try response.jsonObject()
                #expect(body["source"] as? String == "prometheus")
                let points = try #require(body["points"] as? [[String: Any]])
                #expect(points.count >= 100 && points.count <= MetricsRoutes.historyPointLimit, "\(points.count) points")
                let start = try #require(body["start"] as? Int64)
                let end = try #require(body["end"] as? Int64)
                for point in points {
                    let timestamp = try #require(point["timestamp"] as? Int64)
                    let value = try #require(point["value"] as? Double)
                    #expect(timestamp >= start && timestamp <= end)
                    #expect(value < 99, "the decoy of pulse_instance b answered")
                    // The newest seeded sample at or before the point, ×100.
                    let index = min(119, Int((timestamp / 1000 - (now - 7200)) / 60))
                    #expect(abs(value - Self.cpu(index) * 100) < 1e-6, "at \(timestamp): \(value), seeded \(Self.cpu(index) * 100)")
                    #expect(point["min"] as? Double == value && point["max"] as? Double == value)
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(5)), arguments: TSDBPeer.Engine.allCases)
    func chartsComeFromOneQueryPerFamilyGroupedByResource(engine: TSDBPeer.Engine) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        var seed: [TSDBPeer.Sample] = []
        func add(_ name: String, _ labels: [(String, String)], _ value: Double, instance: String = "a") {
            for minute in 0..<30 {
                seed.append(
                    .init(name: name, labels: labels + [("pulse_instance", instance)], value: value, timestamp: now - 1800 + Int64(minute) * 60))
            }
        }
        add("pulse_host_cpu_usage_ratio", [("id", "h1"), ("hostname", "web-1")], 0.25)
        add("pulse_host_cpu_usage_ratio", [("id", "h2"), ("hostname", "web-2")], 0.75)
        add("pulse_host_cpu_usage_ratio", [("id", "h3"), ("hostname", "other")], 0.5, instance: "b")
        for (mountpoint, used) in [("/", 50.0), ("/data", 90.0)] {
            add("pulse_host_filesystem_used_bytes", [("id", "h1"), ("hostname", "web-1"), ("mountpoint", mountpoint)], used)
            add("pulse_host_filesystem_total_bytes", [("id", "h1"), ("hostname", "web-1"), ("mountpoint", mountpoint)], 100)
        }
        add("pulse_guest_cpu_usage_ratio", [("id", "pve1:100"), ("type", "vm")], 0.1)
        add("pulse_guest_cpu_usage_ratio", [("id", "pve1:101"), ("type", "container")], 0.2)
        add("pulse_guest_memory_used_bytes", [("id", "pve1:100"), ("type", "vm")], 1)
        add("pulse_guest_memory_total_bytes", [("id", "pve1:100"), ("type", "vm")], 4)
        add("pulse_node_cpu_usage_ratio", [("id", "pve1-node"), ("node", "node")], 0.3)
        add("pulse_docker_container_cpu_usage_ratio", [("host_id", "d1"), ("id", "c1")], 0.05)
        add("pulse_docker_container_running", [("host_id", "d1"), ("id", "c1")], 1)
        add("pulse_docker_container_cpu_usage_ratio", [("host_id", "d1"), ("id", "c2")], 0.07)
        add("pulse_docker_container_running", [("host_id", "d1"), ("id", "c2")], 0)
        add("pulse_storage_used_bytes", [("id", "st1")], 30)
        add("pulse_storage_total_bytes", [("id", "st1")], 120)
        try await TSDBPeer.with(engine, seed: seed) { peer in
            try await TestServer.with(configure: Self.engine(peer.url)) { server, client in
                Self.toRealTime(server)
                let response = try await client.execute(uri: "/api/charts?range=1h", method: .get, headers: Self.admin)
                #expect(response.status == .ok && response.headers[Self.sourceHeader] == "prometheus")
                let body = try response.jsonObject()
                #expect(body["source"] as? String == "prometheus")
                func values(_ map: String, _ id: String, _ metric: String) -> Set<Double> {
                    let points = ((body[map] as? [String: Any])?[id] as? [String: Any])?[metric] as? [[String: Any]] ?? []
                    return Set(points.compactMap { ($0["value"] as? Double).map { ($0 * 1000).rounded() / 1000 } })
                }
                #expect(values("hostData", "h1", "cpu") == [25])
                #expect(values("hostData", "h2", "cpu") == [75])
                #expect(values("hostData", "h1", "disk") == [90], "the fullest filesystem")
                #expect((body["hostData"] as? [String: Any])?["h3"] == nil, "another instance's host")
                #expect(values("data", "pve1:100", "cpu") == [10] && values("data", "pve1:100", "memory") == [25])
                #expect(values("data", "pve1:101", "cpu") == [20])
                #expect(body["guestTypes"] as? [String: String] == ["pve1:100": "vm", "pve1:101": "container"])
                #expect(values("nodeData", "pve1-node", "cpu") == [30])
                #expect(values("dockerData", "d1/c1", "cpu") == [5])
                #expect((body["dockerData"] as? [String: Any])?["d1/c2"] == nil, "a stopped container has no chart")
                #expect(values("storageData", "st1", "usage") == [25])

                let storage = try await client.execute(uri: "/api/storage-charts?range=1h", method: .get, headers: Self.admin)
                #expect(storage.headers[Self.sourceHeader] == "prometheus")
                #expect(try storage.jsonObject().keys.sorted() == ["st1"])
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func whenTheEngineStopsTheLocalStoreAnswersAndTheFallbackIsCounted() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let dockerHostCPU = (0..<120).map { index in
            TSDBPeer.Sample(
                name: "pulse_docker_host_cpu_usage_ratio", labels: [("id", "d1"), ("hostname", "dock"), ("pulse_instance", "a")], value: 0.25,
                timestamp: now - 7200 + Int64(index) * 60)
        }
        try await TSDBPeer.with(.victoriaMetrics, seed: Self.hostCPU(id: "h1", instance: "a", now: now) { _ in 0.5 } + dockerHostCPU) { peer in
            try await TestServer.with(configure: Self.engine(peer.url)) { server, client in
                Self.toRealTime(server)
                _ = try await client.post(
                    "/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "web", hostID: "h1", cpu: 42))
                _ = try await client.post(
                    "/api/agents/docker/report", token: TestServer.adminToken, body: AgentPayloads.docker(hostname: "dock", agentID: "d1"))
                let sampler = server.metricsSampler()
                await sampler.sample(at: server.time.now())
                let history = "/api/metrics-store/history?resourceType=host&resourceId=h1&metric=cpu&range=1h"
                let fromEngine = try await client.execute(uri: history, method: .get, headers: Self.admin) { try $0.jsonObject() }
                #expect(fromEngine["source"] as? String == "prometheus")
                #expect((fromEngine["points"] as? [[String: Any]])?.allSatisfy { $0["value"] as? Double == 50 } == true)

                let hostMetrics = try await client.execute(
                    uri: "/api/metrics-store/history?resourceType=host&resourceId=h1&range=1h", method: .get, headers: Self.admin
                ) { try $0.jsonObject() }
                #expect(hostMetrics["source"] as? String == "prometheus")
                #expect(((hostMetrics["metrics"] as? [String: Any])?["cpu"] as? [[String: Any]])?.allSatisfy { $0["value"] as? Double == 50 } == true)
                let dockerHost = try await client.execute(
                    uri: "/api/metrics-store/history?resourceType=dockerHost&resourceId=d1&metric=cpu&range=1h", method: .get,
                    headers: Self.admin)
                // Docker hosts have families in /metrics too: the engine's 25 %, not the local store's reading.
                let dockerHostPoints = try dockerHost.jsonObject()["points"] as? [[String: Any]] ?? []
                #expect(dockerHost.headers[Self.sourceHeader] == "prometheus")
                #expect(!dockerHostPoints.isEmpty && dockerHostPoints.allSatisfy { $0["value"] as? Double == 25 })
                let dockerHostMetrics = try await client.execute(
                    uri: "/api/metrics-store/history?resourceType=dockerHost&resourceId=d1&range=1h", method: .get, headers: Self.admin
                ) { try $0.jsonObject() }
                #expect(dockerHostMetrics["source"] as? String == "prometheus")
                #expect(
                    ((dockerHostMetrics["metrics"] as? [String: Any])?["cpu"] as? [[String: Any]])?.allSatisfy { $0["value"] as? Double == 25 }
                        == true)
                let mixedCharts = try await client.execute(uri: "/api/charts?range=1h", method: .get, headers: Self.admin) { try $0.jsonObject() }
                #expect(mixedCharts["source"] as? String == "prometheus")
                let dockerHostChart = ((mixedCharts["dockerHostData"] as? [String: Any])?["d1"] as? [String: Any])?["cpu"] as? [[String: Any]] ?? []
                #expect(!dockerHostChart.isEmpty && dockerHostChart.allSatisfy { $0["value"] as? Double == 25 })
                let engineCPU = ((mixedCharts["hostData"] as? [String: Any])?["h1"] as? [String: Any])?["cpu"] as? [[String: Any]] ?? []
                #expect(!engineCPU.isEmpty && engineCPU.allSatisfy { $0["value"] as? Double == 50 }, "host CPU from the engine, not the local 42")
                #expect(server.dependencies.history.fallbacks.total == 0)

                try await peer.stop()
                let response = try await client.execute(uri: history, method: .get, headers: Self.admin)
                #expect(response.status == .ok && response.headers[Self.sourceHeader] == "local")
                let local = try response.jsonObject()
                #expect(local["source"] as? String == "local")
                #expect((local["points"] as? [[String: Any]])?.map { $0["value"] as? Double } == [42])

                let every = try await client.execute(
                    uri: "/api/metrics-store/history?resourceType=host&resourceId=h1&range=1h", method: .get, headers: Self.admin)
                #expect(every.status == .ok && every.headers[Self.sourceHeader] == "local")
                #expect(((try every.jsonObject()["metrics"] as? [String: Any])?["cpu"] as? [[String: Any]])?.count == 1)

                let charts = try await client.execute(uri: "/api/charts?range=1h", method: .get, headers: Self.admin)
                #expect(charts.status == .ok && charts.headers[Self.sourceHeader] == "local")
                let chartBody = try charts.jsonObject()
                #expect(chartBody["source"] as? String == "local")
                #expect(((chartBody["hostData"] as? [String: Any])?["h1"] as? [String: Any])?["cpu"] != nil)

                let metrics = try await client.execute(uri: "/metrics", method: .get, headers: Self.admin)
                #expect(metrics.text.contains("\npulse_history_query_fallbacks_total 3\n"), "\(metrics.text.suffix(300))")
            }
        }
    }

    /// IDs that would end the label string if they were pasted into the query: they select
    /// nothing, and the engine still answers (a broken query would fall back to local).
    @Test(.timeLimit(.minutes(5)))
    func hostileResourceIDsSelectOnlyTheirOwnSeries() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let weird = #"we"ird\id"# + "\n}"
        let seed = Self.hostCPU(id: "h1", instance: "a", now: now) { _ in 0.5 } + Self.hostCPU(id: weird, instance: "a", now: now) { _ in 0.125 }
        try await TSDBPeer.with(.victoriaMetrics, seed: seed) { peer in
            try await TestServer.with(configure: Self.engine(peer.url)) { server, client in
                Self.toRealTime(server)
                func history(_ id: String) async throws -> [String: Any] {
                    try await client.execute(
                        uri: "/api/metrics-store/history?resourceType=host&resourceId=\(Self.percentEncoded(id))&metric=cpu&range=1h", method: .get,
                        headers: Self.admin
                    ) { try $0.jsonObject() }
                }
                let own = try await history(weird)
                #expect(own["source"] as? String == "prometheus")
                let ownPoints = own["points"] as? [[String: Any]] ?? []
                #expect(!ownPoints.isEmpty && ownPoints.allSatisfy { $0["value"] as? Double == 12.5 })
                for hostile in [#""}or vector(1)"#, #"h1"} or pulse_host_cpu_usage_ratio{id="h1"#, #"h1\"#, #"\"#, "h1\"}[5m]) #"] {
                    let reply = try await history(hostile)
                    #expect(reply["source"] as? String == "prometheus", "\(hostile) broke the query")
                    #expect((reply["points"] as? [[String: Any]])?.isEmpty == true, "\(hostile) selected something")
                }
            }
        }
    }
}

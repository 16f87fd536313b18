import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Readings and ranges far outside what anyone measures must not stop the server: a reading of
/// 1e300 (a host's temperature, a container's CPU) and a history range of 9e18 s both trapped in
/// an integer conversion and ended the process.
@Suite("Metric charts and history ranges stay within their number ranges")
struct MetricsBoundsTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]
    /// A Unix time in seconds, as the sampler passes them.
    static let start: Int64 = 1_750_000_020

    @Test func aHugeReadingIsChartedAtTheBoundAndTheServerLives() async throws {
        try await TestServer.with { server, client in
            let report = AgentPayloads.json([
                "agent": ["id": "agent-huge", "version": "1.0.0", "intervalSeconds": 10],
                "host": ["id": "huge", "hostname": "huge"], "metrics": ["memory": [:]],
                "sensors": ["temperatureCelsius": ["cpu_package": 1e300]], "timestamp": "2025-06-15T15:06:40Z",
            ])
            #expect(try await client.post("/api/agents/host/report", token: TestServer.adminToken, body: report).status == .ok)
            let sampler = server.metricsSampler()
            await sampler.sample(at: server.time.now())
            server.time.advance(by: 30)

            // The history keeps no reading beyond what it stores exactly; the charts keep it at their bound.
            try await client.execute(
                uri: "/api/metrics-store/history?resourceType=host&resourceId=huge&metric=temperature&range=1h", method: .get, headers: Self.admin
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/charts?range=5m", method: .get, headers: Self.admin) { response in
                #expect(response.status == .ok)
                let hosts = try response.jsonObject()["hostData"] as? [String: [String: [[String: Any]]]]
                let temperature = try #require((hosts?["huge"]?["temperature"]?.first?["value"] as? NSNumber)?.doubleValue)
                #expect(temperature.isFinite && abs(temperature - ChartRings<UInt16>.largestValue) < 1e24, "charted at the bound, got \(temperature)")
            }
        }
    }

    @Test func chartRingsKeepHugeSamplesFinite() {
        var rings = ChartRings<UInt16>(steps: [30], capacity: 10)
        let row = rings.makeRow()
        for (offset, value) in [1e300, -1e300, 5, .greatestFiniteMagnitude].enumerated() {
            rings.add(value, at: Self.start + 30 * Int64(offset), row: row)
        }
        let points = rings.points(row: row, ring: 0, since: Self.start)
        #expect(points.count == 4)
        #expect(points.allSatisfy { $0.value.isFinite })
    }

    @Test func historyRangesBeyondTenYearsAre400() async throws {
        try await TestServer.with { _, client in
            for range in ["9000000000000000000s", "106751991167301d", "3651d"] {
                let response = try await client.execute(
                    uri: "/api/metrics-store/history?resourceType=host&resourceId=h1&range=\(range)", method: .get, headers: Self.admin)
                #expect(response.status == .badRequest, "range \(range) answered \(response.status)")
            }
            let tenYears = try await client.execute(
                uri: "/api/metrics-store/history?resourceType=host&resourceId=h1&range=3650d", method: .get, headers: Self.admin)
            #expect(tenYears.status == .ok)
        }
        #expect(DurationText.seconds("106751991167301d") == nil, "overflows Int64")
        #expect(DurationText.seconds("90m") == 5400)
    }
}

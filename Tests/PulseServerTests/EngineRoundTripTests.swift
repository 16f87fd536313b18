import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport
@testable import RemoteWrite

/// One server that writes to an engine and reads its history back from the same engine: what a
/// host agent reported arrives through remote write and returns through a history query, as
/// the operator sets it up with Pulse's variables.
@Suite("Remote write and history from one engine: the round trip", .timeLimit(.minutes(5)))
struct EngineRoundTripTests {
    /// `PULSE_REMOTE_WRITE_URL`, `PULSE_HISTORY_SOURCE=prometheus` and `PULSE_HISTORY_QUERY_URL`
    /// naming `peer`, resolved as the server resolves its environment.
    static func environment(for peer: TSDBPeer) throws -> ServerConfiguration {
        try ServerOptions.parse([]).resolve(environment: [
            "PULSE_INSTANCE_NAME": "round-trip", "PULSE_REMOTE_WRITE_URL": peer.writeURL, "PULSE_HISTORY_SOURCE": "prometheus",
            "PULSE_HISTORY_QUERY_URL": peer.url,
        ])
    }

    @Test(arguments: TSDBPeer.Engine.allCases)
    func whatTheAgentReportedComesBackFromTheEngineThroughAHistoryQuery(_ engine: TSDBPeer.Engine) async throws {
        try await TSDBPeer.with(engine) { peer in
            let resolved = try Self.environment(for: peer)
            try #require(resolved.remoteWrite != nil && resolved.historyEngine != nil)
            let configure: (inout ServerConfiguration) -> Void = { configuration in
                configuration.instanceName = resolved.instanceName
                configuration.remoteWrite = resolved.remoteWrite
                configuration.historyEngine = resolved.historyEngine
            }
            try await RemoteWriteHarness.with(configure: configure, hostID: "rt-host") { run in
                // Two minutes in the past: the engines answer no query about the last second
                // (VictoriaMetrics' latency offset), and the ticks must be behind the wall clock.
                run.server.time.advance(by: -120)
                let reported = [30.0, 45.5, 61.25]
                var first: Date?
                var recorded = 0
                for cpu in reported {
                    let tick = try await run.tick(cpu: cpu)
                    first = first ?? tick.at
                    recorded += tick.samples
                    // 30 s apart: every tick is the newest sample at one step (15 s) at least.
                    run.server.time.advance(by: 20)
                }
                let statistics = try await run.writer.statistics()
                #expect(statistics.queueBatches == 0 && statistics.samplesSent == recorded && statistics.samplesRejected == 0)

                let uri = "/api/metrics-store/history?resourceType=host&resourceId=rt-host&metric=cpu&range=1h"
                var body: [String: Any] = [:]
                var values: [Double] = []
                let deadline = ContinuousClock.now + .seconds(30)
                repeat {
                    try await peer.flush()
                    let response = try await run.client.execute(uri: uri, method: .get, headers: [.apiToken: TestServer.adminToken])
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name(HistorySourceKind.headerName)!] == "prometheus")
                    body = try response.jsonObject()
                    values = Self.distinctInOrder(body["points"] as? [[String: Any]] ?? [])
                    if values.count >= reported.count { break }
                    // The engine makes new samples searchable a moment after it took them.
                    try await Task.sleep(for: .milliseconds(250))
                } while ContinuousClock.now < deadline
                #expect(body["source"] as? String == "prometheus")
                #expect(values.count == reported.count, "the engine answered \(values)")
                for (value, cpu) in zip(values, reported) {
                    #expect(abs(value - cpu) < 1e-9, "\(value) for a reported \(cpu) %")
                }
                let points = body["points"] as? [[String: Any]] ?? []
                let earliest = try #require(first).timeIntervalSince1970 * 1000
                #expect(points.allSatisfy { Double($0["timestamp"] as? Int64 ?? 0) >= earliest }, "no point before the first report")

                // The host's other metrics made the same trip: 2 of 8 GB memory, 40 % of its disk, its CPU package at 48 °C.
                let every = try await run.client.execute(
                    uri: "/api/metrics-store/history?resourceType=host&resourceId=rt-host&range=1h", method: .get,
                    headers: [.apiToken: TestServer.adminToken]
                ) { try $0.jsonObject() }
                #expect(every["source"] as? String == "prometheus")
                let metrics = every["metrics"] as? [String: [[String: Any]]] ?? [:]
                #expect(metrics.keys.sorted() == ["cpu", "disk", "memory", "temperature"])
                for (metric, expected) in [("memory", 25.0), ("disk", 40), ("temperature", 48)] {
                    let values = Self.distinctInOrder(metrics[metric] ?? [])
                    #expect(values.count == 1 && abs((values.first ?? 0) - expected) < 1e-9, "\(metric): \(values)")
                }
            }
        }
    }

    /// The points' values with runs of one value folded (a step repeats the newest sample).
    static func distinctInOrder(_ points: [[String: Any]]) -> [Double] {
        points.compactMap { $0["value"] as? Double }.reduce(into: []) { values, value in
            if values.last.map({ abs($0 - value) > 1e-9 }) ?? true { values.append(value) }
        }
    }
}

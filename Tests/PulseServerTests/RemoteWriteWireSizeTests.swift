import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PulseCore
@testable import PulseServer
@testable import RemoteWrite

/// What one sampling of 1,000 host agents costs on the wire: batches, bytes, bytes per sample.
@Suite("Remote write wire size for 1,000 hosts", .timeLimit(.minutes(5)))
struct RemoteWriteWireSizeTests {
    @Test func oneSamplingOfAThousandHostsFitsInAFewCompressedBatches() async throws {
        let closedPort = try PrometheusTests.freePort()
        try await TestServer.with(configure: {
            RemoteWriteHarness.configure(url: "http://127.0.0.1:\(closedPort)/api/v1/write", instance: "pulse-bench")(&$0)
            $0.enrolmentLimits.recordsPerToken = 2_000
        }) { server, client in
            for index in 0..<1_000 {
                let report = try await client.post(
                    "/api/agents/host/report", token: TestServer.adminToken,
                    body: AgentPayloads.host(
                        hostname: "host-\(index).example.com", agentID: "agent-\(index)", hostID: "host-\(index)", cpu: Double(index % 100)))
                try #require(report.status == .ok, "report \(index): \(report.text)")
            }
            let writer = try #require(server.dependencies.remoteWrite)
            let families = await server.dependencies.state.snapshot().expositionFamilies()
            let samples = families.reduce(0) { $0 + $1.samples.count }
            let started = ContinuousClock.now
            await writer.record(families, at: server.time.now())
            let elapsed = ContinuousClock.now - started
            let statistics = await writer.statistics()
            let uncompressed = SeriesBatches(instanceName: "pulse-bench", extraLabels: [], batchSamples: 5_000)
                .requests(families, timestamp: 1_750_000_000_000).reduce(0) { $0 + $1.encoded().count }
            let perSample = Double(statistics.queueBytes) / Double(samples)
            print(
                "remote write, 1,000 hosts: \(samples) samples in \(statistics.queueBatches) batches of at most 5,000;"
                    + " \(uncompressed) bytes of protobuf, \(statistics.queueBytes) bytes snappy on the wire,"
                    + " \(String(format: "%.1f", perSample)) bytes per sample; encoded and queued in \(elapsed)")
            #expect(samples >= 8_000, "at least 8 gauges per host")
            #expect(statistics.queueBatches == (samples + 4_999) / 5_000)
            #expect(perSample < 40, "snappy takes the repeated label names and values out")
        }
    }
}

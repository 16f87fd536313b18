import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport
@testable import RemoteWrite

/// Remote write into real engines (Debian's VictoriaMetrics and Prometheus): what the sampler
/// recorded arrives with the `/metrics` names and labels plus `pulse_instance`; outages, restarts
/// and a full queue lose nothing but what the bound drops, and say so.
@Suite("Remote write into VictoriaMetrics and Prometheus", .timeLimit(.minutes(5)))
struct RemoteWriteEngineTests {
    @Test(arguments: TSDBPeer.Engine.allCases)
    func theEngineHoldsTheHostCPUTheServerHadAtEveryTickUnderItsInstance(_ kind: TSDBPeer.Engine) async throws {
        try await TSDBPeer.with(kind) { engine in
            try await RemoteWriteHarness.with(url: engine.writeURL) { run in
                var ticks: [Date] = []
                var recorded = 0
                for cpu in [30.0, 45.5, 61.25] {
                    let tick = try await run.tick(cpu: cpu)
                    ticks.append(tick.at)
                    recorded += tick.samples
                }
                let series = try await engine.series(#"pulse_host_cpu_usage_ratio{pulse_instance="a"}"#, from: ticks[0], to: ticks[2])
                try #require(series.count == 1, "\(series.map(\.labels))")
                #expect(series[0].labels == ["__name__": "pulse_host_cpu_usage_ratio", "id": "h1", "hostname": "web-h1", "pulse_instance": "a"])
                #expect(series[0].samples.map(\.timestamp) == ticks.map(RemoteWriteHarness.milliseconds))
                #expect(series[0].samples.map(\.value) == [0.3, 0.455, 0.6125])

                let statistics = try await run.writer.statistics()
                #expect(statistics.samplesSent == recorded && statistics.queueBatches == 0 && statistics.queueBytes == 0)
                #expect(statistics.lastSuccess == ticks[2] && statistics.samplesRejected == 0 && statistics.samplesDroppedQueueFull == 0)
                let all = try await engine.series(#"{pulse_instance="a"}"#, from: ticks[0], to: ticks[2])
                #expect(all.reduce(0) { $0 + $1.samples.count } == recorded, "every sample of every tick")
                #expect(all.contains { $0.labels["__name__"] == "pulse_host_memory_total_bytes" })

                let metrics = try await run.client.execute(uri: "/metrics", method: .get, headers: [.apiToken: TestServer.adminToken])
                #expect(
                    metrics.text.contains("# TYPE pulse_remote_write_samples_sent_total counter\npulse_remote_write_samples_sent_total \(recorded)\n")
                )
                #expect(metrics.text.contains(#"pulse_remote_write_samples_dropped_total{reason="rejected"} 0"#))
                #expect(metrics.text.contains("pulse_remote_write_queue_batches 0\n"))
                #expect(metrics.text.contains("pulse_remote_write_last_success_timestamp_seconds \(Int(ticks[2].timeIntervalSince1970))\n"))
                let diagnostics = try await run.client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: TestServer.adminToken])
                let remoteWrite = try diagnostics.jsonObject()["remoteWrite"] as? [String: Any]
                #expect(remoteWrite?["url"] as? String == engine.writeURL && remoteWrite?["authentication"] as? String == "none")
                #expect(remoteWrite?["samplesSent"] as? Int == recorded && remoteWrite?["queueBatches"] as? Int == 0)
            }
        }
    }

    @Test func twoServersWritingToOneEngineAreToldApartByPulseInstance() async throws {
        try await TSDBPeer.with(.victoriaMetrics) { engine in
            try await RemoteWriteHarness.with(url: engine.writeURL, instance: "a") { a in
                try await RemoteWriteHarness.with(url: engine.writeURL, instance: "b") { b in
                    // The same host ID on both: only pulse_instance tells the series apart.
                    b.server.time.advance(by: a.server.time.now().timeIntervalSince(b.server.time.now()))
                    let first = try await a.tick(cpu: 10)
                    try await b.tick(cpu: 90)
                    let second = try await a.tick(cpu: 20)
                    try await b.tick(cpu: 80)
                    let series = try await engine.series("pulse_host_cpu_usage_ratio", from: first.at, to: second.at)
                    let byInstance = Dictionary(uniqueKeysWithValues: series.map { ($0.labels["pulse_instance"] ?? "?", $0.samples.map(\.value)) })
                    #expect(byInstance == ["a": [0.1, 0.2], "b": [0.9, 0.8]])
                    #expect(series.allSatisfy { $0.labels["id"] == "h1" })
                }
            }
        }
    }

    @Test func anOutageOfAMinuteLosesNoPointAndEmptiesTheQueueAfterwards() async throws {
        try await TSDBPeer.with(.victoriaMetrics) { engine in
            try await RemoteWriteHarness.with(url: engine.writeURL) { run in
                var ticks: [Date] = []
                var recorded = 0
                for cpu in [11.0, 12.0] {
                    let tick = try await run.tick(cpu: cpu)
                    ticks.append(tick.at)
                    recorded += tick.samples
                }
                try await engine.stop()
                for cpu in [21.0, 22.0, 23.0, 24.0, 25.0, 26.0] {
                    let tick = try await run.tick(cpu: cpu)
                    ticks.append(tick.at)
                    recorded += tick.samples
                }
                let during = try await run.writer.statistics()
                #expect(during.queueBatches >= 6 && during.lastError != nil, "six ticks wait on disk: \(during)")
                try await engine.start()
                // The newest backoff has run out on the server's clock (at most 60 s).
                run.server.time.advance(by: 60)
                try await run.writer.drain()
                let after = try await run.writer.statistics()
                #expect(after.queueBatches == 0 && after.queueBytes == 0 && run.queueBytesOnDisk == 0)
                #expect(after.samplesSent == recorded && after.samplesDroppedQueueFull == 0 && after.lastError == nil)
                let cpu = try await engine.series(#"pulse_host_cpu_usage_ratio{pulse_instance="a"}"#, from: ticks[0], to: ticks[7])
                #expect(cpu.first?.samples.map(\.timestamp) == ticks.map(RemoteWriteHarness.milliseconds))
                #expect(cpu.first?.samples.map(\.value) == [0.11, 0.12, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26])
                let all = try await engine.series(#"{pulse_instance="a"}"#, from: ticks[0], to: ticks[7])
                #expect(all.reduce(0) { $0 + $1.samples.count } == recorded, "every point of every tick, \(recorded) in all")
            }
        }
    }

    @Test func batchesQueuedWhileTheEngineIsDownSurviveAServerRestart() async throws {
        try await TSDBPeer.with(.victoriaMetrics) { engine in
            try await engine.stop()
            let folder = TestServer.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let (ticks, recorded) = try await RemoteWriteHarness.with(url: engine.writeURL, dataDirectory: folder) { run in
                var ticks: [Date] = []
                var recorded = 0
                for cpu in [31.0, 32.0, 33.0] {
                    let tick = try await run.tick(cpu: cpu)
                    ticks.append(tick.at)
                    recorded += tick.samples
                }
                let queued = try await run.writer.statistics()
                #expect(queued.queueBatches == 3, "three ticks wait on disk: \(queued)")
                return (ticks, recorded)
            }
            let queued = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("remote-write").path)
            #expect(queued.count == 3 && queued.allSatisfy { $0.hasSuffix(".batch") }, "\(queued)")
            for name in queued {
                let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("remote-write/\(name)").path)[
                    .posixPermissions]
                #expect(mode as? Int == 0o600)
            }
            let folderMode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("remote-write").path)[.posixPermissions]
            #expect(folderMode as? Int == 0o700)
            try await engine.start()
            try await RemoteWriteHarness.with(url: engine.writeURL, dataDirectory: folder) { run in
                let restored = try await run.writer.statistics()
                #expect(restored.queueBatches == 3 && restored.samplesSent == 0, "\(restored)")
                try await run.writer.drain()
                let after = try await run.writer.statistics()
                #expect(after.samplesSent == recorded && after.queueBatches == 0 && run.queueBytesOnDisk == 0, "\(after)")
            }
            let cpu = try await engine.series(#"pulse_host_cpu_usage_ratio{pulse_instance="a"}"#, from: ticks[0], to: ticks[2])
            #expect(cpu.first?.samples.map(\.value) == [0.31, 0.32, 0.33])
            #expect(cpu.first?.samples.map(\.timestamp) == ticks.map(RemoteWriteHarness.milliseconds))
        }
    }
}

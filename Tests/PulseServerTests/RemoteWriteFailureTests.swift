import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport
@testable import RemoteWrite

/// What the receiver's answers do to a batch: 400 drops it (counted), 503 and 429 keep it and
/// wait on the server's clock (429's Retry-After honoured), a receiver that never answers fills
/// the queue only up to its byte bound, dropping the oldest.
@Suite("Remote write: refused, retried and never answered batches", .timeLimit(.minutes(5)))
struct RemoteWriteFailureTests {
    struct FixtureInfo: Decodable { let url: String }
    typealias Receiver = Peer<FixtureInfo>

    static func lastRequest(_ receiver: Receiver) async throws -> [String: Any] {
        let answer = try await receiver.command("last")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.dropFirst(3).utf8)) as? [String: Any])
    }

    static func requests(_ receiver: Receiver) async throws -> Int {
        Int(try await receiver.command("requests").dropFirst(3)) ?? -1
    }

    @Test func a400DropsTheBatchAndCountsItWhileA503And429KeepItForLater() async throws {
        try await Receiver.with(script: "remote-write-fixture.py", arguments: []) { receiver in
            try await RemoteWriteHarness.with(url: receiver.info.url) { run in
                try await receiver.command("status 400")
                let refused = try await run.tick(cpu: 10)
                var statistics = try await run.writer.statistics()
                #expect(statistics.samplesRejected == refused.samples && statistics.queueBatches == 0 && statistics.samplesSent == 0)
                #expect(statistics.lastError?.hasPrefix("HTTP 400: fixture says 400") == true, "\(statistics.lastError ?? "")")
                let headers = try #require(try await Self.lastRequest(receiver)["headers"] as? [String: String])
                #expect(headers["content-encoding"] == "snappy" && headers["content-type"] == "application/x-protobuf")
                #expect(headers["x-prometheus-remote-write-version"] == "0.1.0" && headers["authorization"] == nil)

                try await receiver.command("status 503")
                let kept = try await run.tick(cpu: 20, drain: false)
                try await run.writer.drain()
                #expect(try await Self.requests(receiver) == 2)
                statistics = try await run.writer.statistics()
                #expect(statistics.queueBatches == 1 && statistics.samplesRejected == refused.samples)
                // Within the backoff (1 s after the failure) nothing is sent; after it, the same batch again.
                try await run.writer.drain()
                #expect(try await Self.requests(receiver) == 2)
                run.server.time.advance(by: 1)
                try await run.writer.drain()
                #expect(try await Self.requests(receiver) == 3)
                #expect(try await run.writer.statistics().queueBatches == 1)

                try await receiver.command("status 429 30")
                run.server.time.advance(by: 2)
                try await run.writer.drain()
                #expect(try await Self.requests(receiver) == 4)
                run.server.time.advance(by: 29)
                try await run.writer.drain()
                #expect(try await Self.requests(receiver) == 4, "Retry-After: 30 is honoured")
                try await receiver.command("status 204")
                run.server.time.advance(by: 1)
                try await run.writer.drain()
                statistics = try await run.writer.statistics()
                #expect(try await Self.requests(receiver) == 5)
                #expect(statistics.samplesSent == kept.samples && statistics.queueBatches == 0 && statistics.lastError == nil)
                let metrics = try await run.client.execute(uri: "/metrics", method: .get, headers: [.apiToken: TestServer.adminToken]).text
                #expect(metrics.contains(#"pulse_remote_write_samples_dropped_total{reason="rejected"} \#(refused.samples)"#))
            }
        }
    }

    @Test func aReceiverThatNeverAnswersFillsTheQueueOnlyToItsBoundAndTheDropsAreCounted() async throws {
        let closedPort = try PrometheusTests.freePort()
        let bound = 10_000
        try await RemoteWriteHarness.with(url: "http://127.0.0.1:\(closedPort)/api/v1/write", queueMaxBytes: bound) { run in
            var recorded = 0
            for tick in 0..<40 {
                recorded += try await run.tick(cpu: Double(tick)).samples
                #expect(run.queueBytesOnDisk <= bound, "tick \(tick): \(run.queueBytesOnDisk) bytes on disk")
            }
            let statistics = try await run.writer.statistics()
            #expect(statistics.queueBytes == run.queueBytesOnDisk && statistics.samplesSent == 0)
            let queuedSamples = try FileManager.default.contentsOfDirectory(atPath: run.server.dependencies.dataDirectory.remoteWriteQueuePath)
                .compactMap { Int($0.split(separator: "-").last?.split(separator: ".").first ?? "") }.reduce(0, +)
            #expect(statistics.samplesDroppedQueueFull > 0)
            #expect(statistics.samplesDroppedQueueFull == recorded - queuedSamples, "every sample is either queued or counted as dropped")
            let metrics = try await run.client.execute(uri: "/metrics", method: .get, headers: [.apiToken: TestServer.adminToken]).text
            #expect(metrics.contains(#"pulse_remote_write_samples_dropped_total{reason="queue_full"} \#(statistics.samplesDroppedQueueFull)"#))
            #expect(metrics.contains("pulse_remote_write_queue_bytes \(statistics.queueBytes)\n"))
        }
    }
}

import Foundation
import TestSupport
import Testing

@testable import PulseCore
@testable import RemoteWrite

/// The remote write body: a protobuf `WriteRequest` written by hand, snappy's block format. The
/// bytes are decoded by Debian's python3-protobuf and python3-snappy (Fixtures/tools/decode-remote-write.py),
/// not by anything of ours.
@Suite("Remote write encoding: WriteRequest bytes, snappy, label order, batches")
struct RemoteWriteEncodingTests {
    struct Decoded: Decodable {
        struct Series: Decodable {
            let labels: [[String]]
            let samples: [[Double]]
        }

        let rawBytes: Int
        let unknownFields: Int
        let timeseries: [Series]
    }

    static let python = "/usr/bin/python3"

    /// Decodes `body` with the independent decoder.
    static func decode(_ body: [UInt8]) async throws -> Decoded {
        try #require(FileManager.default.isExecutableFile(atPath: python), "Debian's python3 is missing")
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("body.bin")
        try Data(body).write(to: file)
        let script = PeerProcess.repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools/decode-remote-write.py").path
        let run = try await ChildProcess.run(python, [script, file.path], mergingErrors: true)
        try #require(run.status == 0, "the decoder failed (python3-snappy and python3-protobuf are in TEST_DEB_PACKAGES): \(run.text)")
        return try JSONDecoder().decode(Decoded.self, from: run.output)
    }

    @Test func theBodyDecodesIndependentlyToTheSeriesLabelsAndSamplesWritten() async throws {
        let request = WriteRequest(timeseries: [
            .init(
                labels: [
                    MetricLabel(name: "node", value: "pve1"), MetricLabel(name: "__name__", value: "pulse_node_cpu_usage_ratio"),
                    MetricLabel(name: "id", value: "pve1/node/pve1"), MetricLabel(name: "pulse_instance", value: "a"),
                    MetricLabel(name: "Zone", value: "é \"quoted\"\n"),
                ],
                samples: [.init(value: 0.375, timestamp: 1_750_000_000_123), .init(value: -2.5e-9, timestamp: -1)]),
            .init(labels: [MetricLabel(name: "__name__", value: "pulse_up")], samples: [.init(value: 1e300, timestamp: 0)]),
        ])
        let raw = request.encoded()
        let decoded = try await Self.decode(Snappy.compress(raw))
        #expect(decoded.rawBytes == raw.count)
        #expect(decoded.unknownFields == 0)
        try #require(decoded.timeseries.count == 2)
        // Sorted by name byte by byte: upper case before `_`, `_` before lower case.
        #expect(
            decoded.timeseries[0].labels == [
                ["Zone", "é \"quoted\"\n"], ["__name__", "pulse_node_cpu_usage_ratio"], ["id", "pve1/node/pve1"], ["node", "pve1"],
                ["pulse_instance", "a"],
            ])
        #expect(decoded.timeseries[0].samples == [[0.375, 1_750_000_000_123], [-2.5e-9, -1]])
        #expect(decoded.timeseries[1].labels == [["__name__", "pulse_up"]])
        #expect(decoded.timeseries[1].samples == [[1e300, 0]])
    }

    @Test func snappyRoundTripsAndCompressesRepetitiveSeries() throws {
        let batches = SeriesBatches(instanceName: "a", extraLabels: [], batchSamples: 5_000)
        let raw = try #require(batches.requests(Self.families(hosts: 200), timestamp: 1_750_000_000_000).first).encoded()
        let compressed = Snappy.compress(raw)
        #expect(try Snappy.uncompress(compressed) == raw)
        #expect(compressed.count * 3 < raw.count, "label names and values repeat from series to series")
        #expect(throws: Snappy.Failure.self) { try Snappy.uncompress([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) }
        #expect(try Snappy.uncompress(Snappy.compress([])) == [])
    }

    @Test func eachSampleBecomesASeriesWithItsNameInstanceAndExtraLabelsSplitIntoBatches() async throws {
        let extra = [MetricLabel(name: "site", value: "lab"), MetricLabel(name: "id", value: "operator-id")]
        let batches = SeriesBatches(instanceName: "pulse-a", extraLabels: extra, batchSamples: 7)
        let families = Self.families(hosts: 4)
        let total = families.reduce(0) { $0 + $1.samples.count }
        let requests = batches.requests(families, timestamp: 42_000)
        #expect(requests.map(\.sampleCount) == Array(repeating: 7, count: total / 7) + (total % 7 == 0 ? [] : [total % 7]))
        let decoded = try await Self.decode(Snappy.compress(try #require(requests.first).encoded()))
        let first = try #require(decoded.timeseries.first)
        #expect(
            first.labels == [
                ["__name__", "pulse_host_cpu_usage_ratio"], ["hostname", "host-0"], ["id", "h0"], ["pulse_instance", "pulse-a"], ["site", "lab"],
            ], "the series' own id wins over the operator's")
        #expect(first.samples == [[0.25, 42_000]])
    }

    /// `hosts` hosts' CPU and memory gauges, as the exposition names them.
    static func families(hosts: Int) -> [ExpositionFamily] {
        var out = ExpositionFamilies()
        for index in 0..<hosts {
            out.gauge(
                "pulse_host_cpu_usage_ratio", "Host CPU use, 0-1.", ["id": "h\(index)", "hostname": "host-\(index)"], 0.25 + Double(index) / 1000)
        }
        for index in 0..<hosts {
            out.gauge(
                "pulse_host_memory_used_bytes", "Host memory in use.", ["id": "h\(index)", "hostname": "host-\(index)"], Double(index) * 1_048_576)
        }
        return out.families
    }
}

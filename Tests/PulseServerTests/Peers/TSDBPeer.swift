import CurlHTTP
import Foundation
import TestSupport
import Testing

/// A real time-series engine for the length of one test: Debian's `victoria-metrics` or
/// `prometheus`, on an ephemeral port with its data in a temporary folder, seeded with samples
/// before the test reads it, stopped (SIGKILL) at the end or when the test says so.
///
/// VictoriaMetrics is seeded through its Prometheus-text import with timestamps; Prometheus
/// through `promtool tsdb create-blocks-from openmetrics` into its data folder before it starts.
final class TSDBPeer: @unchecked Sendable {
    enum Engine: String, CustomStringConvertible {
        case victoriaMetrics = "/usr/bin/victoria-metrics"
        case prometheus = "/usr/bin/prometheus"

        var description: String { self == .victoriaMetrics ? "VictoriaMetrics" : "Prometheus" }
    }

    /// One seeded sample.
    struct Sample {
        var name: String
        /// In this order; values are escaped when written.
        var labels: [(String, String)]
        var value: Double
        /// Unix seconds.
        var timestamp: Int64
    }

    let engine: Engine
    /// The base URL of the engine's HTTP API.
    let url: String
    private let folder: URL
    private let process: Process

    static func with<T>(_ engine: Engine, seed: [Sample], _ body: (TSDBPeer) async throws -> T) async throws -> T {
        try #require(FileManager.default.isExecutableFile(atPath: engine.rawValue), "\(engine) is missing: make test installs it")
        let peer = try await TSDBPeer(engine, seed: seed)
        defer { peer.stop() }
        return try await body(peer)
    }

    private init(_ engine: Engine, seed: [Sample]) async throws {
        self.engine = engine
        folder = TestServer.temporaryFolder()
        let port = try PrometheusTests.freePort()
        url = "http://127.0.0.1:\(port)"
        let data = folder.appendingPathComponent("data").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: engine.rawValue)
        switch engine {
        case .victoriaMetrics:
            process.arguments = [
                "-storageDataPath=\(data)", "-httpListenAddr=127.0.0.1:\(port)", "-search.latencyOffset=1s", "-search.disableCache",
                "-retentionPeriod=100y",
            ]
        case .prometheus:
            try await Self.writeBlocks(seed, into: data, folder: folder)
            let configuration = folder.appendingPathComponent("prometheus.yml")
            try "global:\n  scrape_interval: 15s\n".write(to: configuration, atomically: true, encoding: .utf8)
            process.arguments = [
                "--config.file=\(configuration.path)", "--storage.tsdb.path=\(data)", "--web.listen-address=127.0.0.1:\(port)",
                "--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=100y",
            ]
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            try await waitUntilAnswering()
            if engine == .victoriaMetrics, !seed.isEmpty { try await importToVictoriaMetrics(seed) }
            try await waitUntilHolding(Set(seed.map { Self.seriesText($0) }).count)
        } catch {
            stop()
            throw error
        }
    }

    /// Stops the engine; later queries find nothing listening.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    private static func seriesText(_ sample: Sample) -> String {
        sample.name + "{" + sample.labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
    }

    private static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// OpenMetrics text (seconds), one family's samples together and each series in time order,
    /// turned into TSDB blocks by promtool.
    private static func writeBlocks(_ seed: [Sample], into data: String, folder: URL) async throws {
        let sorted = seed.sorted { ($0.name, seriesText($0), $0.timestamp) < ($1.name, seriesText($1), $1.timestamp) }
        let text = sorted.map { "\(seriesText($0)) \($0.value) \($0.timestamp)" }.joined(separator: "\n") + "\n# EOF\n"
        let input = folder.appendingPathComponent("seed.om")
        try text.write(to: input, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let outcome = try await ChildProcess.run(
            "/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", input.path, data], mergingErrors: true)
        if outcome.status != 0 { throw PeerFailed(description: "promtool failed (\(outcome.status)): \(outcome.text)") }
    }

    /// Prometheus text with millisecond timestamps to `/api/v1/import/prometheus`, then a flush.
    private func importToVictoriaMetrics(_ seed: [Sample]) async throws {
        let text = seed.map { "\(Self.seriesText($0)) \($0.value) \($0.timestamp * 1000)" }.joined(separator: "\n") + "\n"
        let curl = CurlClient(timeout: .seconds(10))
        let reply = try await curl.post("\(url)/api/v1/import/prometheus", headers: ["Content-Type: text/plain"], body: Array(text.utf8))
        guard (200..<300).contains(reply.status) else {
            throw PeerFailed(description: "import answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        _ = try? await curl.get("\(url)/internal/force_flush", headers: [])
    }

    private func waitUntilAnswering() async throws {
        let curl = CurlClient(timeout: .seconds(2))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw PeerFailed(description: "\(engine) exited (\(process.terminationStatus))") }
            if let reply = try? await curl.get("\(url)/api/v1/query?query=1", headers: []), reply.status == 200 { return }
            // Waiting on an external process, not standing in for a clock.
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerFailed(description: "\(engine) did not answer within 60 s")
    }

    /// Asks until the engine lists `count` series of the seed over the last three hours.
    private func waitUntilHolding(_ count: Int) async throws {
        guard count > 0 else { return }
        let curl = CurlClient(timeout: .seconds(5))
        let now = Int64(Date().timeIntervalSince1970)
        let form =
            "match%5B%5D=\("{__name__=~\"pulse_.+\"}".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&start=\(now - 10_800)&end=\(now + 60)"
        let deadline = ContinuousClock.now + .seconds(60)
        var last = ""
        while ContinuousClock.now < deadline {
            if let reply = try? await curl.post(
                "\(url)/api/v1/series", headers: ["Content-Type: application/x-www-form-urlencoded"], body: Array(form.utf8))
            {
                last = String(decoding: reply.body, as: UTF8.self)
                if let body = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
                    (body["data"] as? [[String: String]])?.count == count
                {
                    return
                }
            }
            // Waiting on an external process, not standing in for a clock.
            try await Task.sleep(for: .milliseconds(200))
        }
        throw PeerFailed(description: "\(engine) did not hold the \(count) seeded series within 60 s; last answer: \(last.prefix(500))")
    }

    struct PeerFailed: Error, CustomStringConvertible { let description: String }
}

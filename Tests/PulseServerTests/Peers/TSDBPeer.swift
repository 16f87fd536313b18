import CurlHTTP
import Foundation
import TestSupport
import Testing

/// A real Prometheus-compatible engine for the length of one test: Debian's `victoria-metrics`
/// or `prometheus` (its remote write receiver on), on an ephemeral loopback port, its data and
/// log in a temporary folder. It may be seeded with samples before the test reads it
/// (`TSDBPeer+Seed.swift`), takes remote write at `writeURL`, answers the raw samples it holds
/// (`series`), and can be stopped and started again on the same port and data (an outage; the
/// port stays reserved meanwhile, so no other test's server can take it and answer instead).
final class TSDBPeer: @unchecked Sendable {
    enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
        case victoriaMetrics = "/usr/bin/victoria-metrics"
        case prometheus = "/usr/bin/prometheus"

        var description: String { self == .victoriaMetrics ? "VictoriaMetrics" : "Prometheus" }
    }

    /// One stored series: its labels and its samples (Unix milliseconds, value), oldest first.
    struct Series: Sendable {
        let labels: [String: String]
        let samples: [(timestamp: Int64, value: Double)]
    }

    let engine: Engine
    private(set) var port: Int
    let folder: URL
    private var process: Process?
    private var reservation: PortReservation?
    let http = CurlClient(timeout: .seconds(10))

    /// The base URL of the engine's HTTP API (what `PULSE_HISTORY_QUERY_URL` names).
    var url: String { "http://127.0.0.1:\(port)" }
    /// Its remote write receiver (what `PULSE_REMOTE_WRITE_URL` names).
    var writeURL: String { url + "/api/v1/write" }
    var dataPath: String { folder.appendingPathComponent("data").path }
    private var logPath: String { folder.appendingPathComponent("engine.log").path }
    /// The last lines the engine logged, for a failure message (its folder is gone after the test).
    private var logTail: String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(6).joined(separator: " | ")
    }

    /// Starts the engine holding `seed`, runs `body`, stops it and removes its data.
    static func with<T>(_ engine: Engine, seed: [Sample] = [], _ body: (TSDBPeer) async throws -> T) async throws -> T {
        try #require(FileManager.default.isExecutableFile(atPath: engine.rawValue), "Debian's \(engine.rawValue) is missing: make test installs it")
        let peer = TSDBPeer(engine: engine, port: try PrometheusTests.freePort(), folder: TestServer.temporaryFolder())
        let result: Result<T, any Error>
        do {
            if engine == .prometheus, !seed.isEmpty { try await peer.writeBlocks(seed) }
            try await peer.startOnAFreePort()
            if engine == .victoriaMetrics, !seed.isEmpty { try await peer.importSamples(seed) }
            try await peer.waitUntilHolding(Set(seed.map(\.seriesText)).count)
            result = .success(try await body(peer))
        } catch {
            result = .failure(error)
        }
        try await peer.stop()
        peer.reservation?.release()
        try? FileManager.default.removeItem(at: peer.folder)
        return try result.get()
    }

    private init(engine: Engine, port: Int, folder: URL) {
        self.engine = engine
        self.port = port
        self.folder = folder
    }

    /// The first start: a port found free may be taken by another test before the engine binds
    /// it (tests run in parallel), so an engine that could not listen is started on another.
    private func startOnAFreePort() async throws {
        for attempt in 1...3 {
            do {
                return try await start()
            } catch let failure as PeerFailed where attempt < 3 && failure.description.contains("address already in use") {
                port = try PrometheusTests.freePort()
            }
        }
    }

    /// Starts the engine (again) on the same port and data folder, and waits until it answers
    /// queries from the socket it listens on itself (not another test's server on that port).
    func start() async throws {
        let arguments: [String]
        switch engine {
        case .victoriaMetrics:
            arguments = [
                "-storageDataPath=\(dataPath)", "-httpListenAddr=127.0.0.1:\(port)", "-search.latencyOffset=1s", "-search.disableCache",
                "-retentionPeriod=100y", "-loggerLevel=WARN",
            ]
        case .prometheus:
            let configuration = folder.appendingPathComponent("prometheus.yml")
            try "global:\n  scrape_interval: 1m\n".write(to: configuration, atomically: true, encoding: .utf8)
            arguments = [
                "--config.file=\(configuration.path)", "--storage.tsdb.path=\(dataPath)", "--web.listen-address=127.0.0.1:\(port)",
                "--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=100y", "--log.level=warn",
            ]
        }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: engine.rawValue)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        reservation?.release()
        reservation = nil
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw PeerFailed(description: "\(engine) exited (\(process.terminationStatus)), its log ending: \(logTail)")
            }
            if PortReservation.isListening(onPort: port, heldBy: process.processIdentifier),
                let reply = try? await http.get(url + "/api/v1/query?query=1", headers: []), reply.status == 200
            {
                return
            }
            // Waiting on an external process, not standing in for a clock.
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerFailed(description: "\(engine) did not answer within 60 s, its log ending: \(logTail)")
    }

    /// Stops the engine as its service manager would (SIGTERM: it writes what it holds), and
    /// waits, on a thread of its own, at most `patience` before SIGKILL; queries and writes find
    /// nothing listening until `start`, and the port stays reserved for it. (The wait once blocked Swift concurrency's threads: with
    /// two of them, two engines stopping at once stalled every test in the process.)
    func stop(patience: Duration = .seconds(30)) async throws {
        guard let process else { return }
        self.process = nil
        if try await !ChildProcess.stop(process, signal: SIGTERM, patience: patience) {
            Issue.record("\(engine) did not stop within \(patience) of SIGTERM (killed), its log ending: \(logTail)")
        }
        reservation = PortReservation(port: port)
        if reservation == nil { Issue.record("port \(port) was taken as soon as \(engine) stopped") }
    }

    /// Makes what VictoriaMetrics took searchable now rather than within its next second or so
    /// (Prometheus searches its head at once).
    func flush() async throws {
        guard engine == .victoriaMetrics else { return }
        _ = try await http.get(url + "/internal/force_flush", headers: [])
    }

    /// Every raw sample of the series `selector` matches (a PromQL series selector) between
    /// `from` and `to`, both included.
    func series(_ selector: String, from: Date, to: Date) async throws -> [Series] {
        let start = Int64((from.timeIntervalSince1970 * 1000).rounded(.down))
        let end = Int64((to.timeIntervalSince1970 * 1000).rounded(.up))
        switch engine {
        case .victoriaMetrics:
            try await flush()
            let export = url + "/api/v1/export?match[]=\(Self.escape(selector))&start=\(start / 1000)&end=\(end / 1000 + 1)"
            let reply = try await http.get(export, headers: [])
            try #require(reply.status == 200, "export: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
            return try String(decoding: reply.body, as: UTF8.self).split(separator: "\n").map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let values = (object["values"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
                let timestamps = (object["timestamps"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.int64Value }
                return Series(labels: object["metric"] as? [String: String] ?? [:], samples: Array(zip(timestamps, values)))
            }
        case .prometheus:
            let range = max(1, (end - start + 999) / 1000 + 1)
            let query = url + "/api/v1/query?query=\(Self.escape("\(selector)[\(range)s]"))&time=\(Double(end) / 1000)"
            let reply = try await http.get(query, headers: [])
            try #require(reply.status == 200, "query: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
            let result = (body["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
            return result.map { entry in
                let values = (entry["values"] as? [[Any]] ?? []).compactMap { pair -> (Int64, Double)? in
                    guard pair.count == 2, let seconds = (pair[0] as? NSNumber)?.doubleValue, let text = pair[1] as? String,
                        let value = Double(text)
                    else { return nil }
                    return (Int64((seconds * 1000).rounded()), value)
                }
                return Series(labels: entry["metric"] as? [String: String] ?? [:], samples: values)
            }
        }
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    struct PeerFailed: Error, CustomStringConvertible { let description: String }
}

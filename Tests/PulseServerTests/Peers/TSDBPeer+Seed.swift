import CurlHTTP
import Foundation
import TestSupport

/// Samples a test puts into the engine before it reads it: VictoriaMetrics takes them through
/// its Prometheus-text import with timestamps; Prometheus as TSDB blocks that
/// `promtool tsdb create-blocks-from openmetrics` writes into its data folder before it starts.
extension TSDBPeer {
    /// One seeded sample.
    struct Sample {
        var name: String
        /// In this order; values are escaped when written.
        var labels: [(String, String)]
        var value: Double
        /// Unix seconds.
        var timestamp: Int64

        /// The series in Prometheus text: `name{label="value",…}`.
        var seriesText: String {
            name + "{" + labels.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }.joined(separator: ",") + "}"
        }

        private static func escaped(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    /// OpenMetrics text (seconds), one family's samples together and each series in time order,
    /// turned into TSDB blocks by promtool.
    func writeBlocks(_ seed: [Sample]) async throws {
        let sorted = seed.sorted { ($0.name, $0.seriesText, $0.timestamp) < ($1.name, $1.seriesText, $1.timestamp) }
        let text = sorted.map { "\($0.seriesText) \($0.value) \($0.timestamp)" }.joined(separator: "\n") + "\n# EOF\n"
        let input = folder.appendingPathComponent("seed.om")
        try text.write(to: input, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
        let outcome = try await ChildProcess.run(
            "/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", input.path, dataPath], mergingErrors: true)
        if outcome.status != 0 { throw PeerFailed(description: "promtool failed (\(outcome.status)): \(outcome.text)") }
    }

    /// Prometheus text with millisecond timestamps to `/api/v1/import/prometheus`, then a flush.
    func importSamples(_ seed: [Sample]) async throws {
        let text = seed.map { "\($0.seriesText) \($0.value) \($0.timestamp * 1000)" }.joined(separator: "\n") + "\n"
        let reply = try await http.post("\(url)/api/v1/import/prometheus", headers: ["Content-Type: text/plain"], body: Array(text.utf8))
        guard (200..<300).contains(reply.status) else {
            throw PeerFailed(description: "import answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        try await flush()
    }

    /// Asks until the engine lists `count` Pulse series over the last three hours.
    func waitUntilHolding(_ count: Int) async throws {
        guard count > 0 else { return }
        let now = Int64(Date().timeIntervalSince1970)
        let form = "match%5B%5D=\(Self.escape("{__name__=~\"pulse_.+\"}"))&start=\(now - 10_800)&end=\(now + 60)"
        let deadline = ContinuousClock.now + .seconds(60)
        var last = ""
        while ContinuousClock.now < deadline {
            if let reply = try? await http.post(
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
}

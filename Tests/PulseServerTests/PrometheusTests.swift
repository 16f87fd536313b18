import CurlHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("GET /metrics: Prometheus exposition, scraped by a real Prometheus")
struct PrometheusTests {
    @Test func familiesAreDeclaredOnceAndLabelValuesEscaped() {
        var text = PrometheusText()
        text.gauge("pulse_x", "An x.", ["name": #"a "quoted" \ name"#], 1.5)
        text.gauge("pulse_x", "An x.", ["name": "line\nbreak"], 2)
        text.gauge("pulse_x", "An x.", ["name": "missing"], Double?.none)
        text.gauge("pulse_y", "A y.", [:], true)
        #expect(
            text.rendered() == """
                # HELP pulse_x An x.
                # TYPE pulse_x gauge
                pulse_x{name="a \\"quoted\\" \\\\ name"} 1.5
                pulse_x{name="line\\nbreak"} 2
                # HELP pulse_y A y.
                # TYPE pulse_y gauge
                pulse_y 1

                """)
    }

    @Test func metricsNeedAMonitoringReadTokenUnlessOpen() async throws {
        try await TestServer.with { server, client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let reportOnly = try await server.token(scopes: ["host-agent:report"])
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.apiToken: reportOnly]).status == .forbidden)
        }
        try await TestServer.with(configure: { $0.metricsAccess = .open }) { _, client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(response.text.contains("# TYPE pulse_build_info gauge"))
        }
    }

    /// Debian's `prometheus` scrapes a live server with a bearer token; its query API then
    /// returns our series with their labels and values.
    @Test(.timeLimit(.minutes(5)))
    func prometheusScrapesAndQueriesOurSeries() async throws {
        let prometheus = "/usr/bin/prometheus"
        try #require(FileManager.default.isExecutableFile(atPath: prometheus), "Debian's prometheus is missing: make test installs it")
        try await TestServer.with { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let admin = TestServer.adminToken
                #expect(
                    try await client.post(
                        "/api/agents/host/report", token: admin, body: AgentPayloads.host(hostname: "web-1", hostID: "h1", cpu: 37.5)
                    ).status == .ok)
                let folder = TestServer.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let tokenFile = folder.appendingPathComponent("token")
                try Data(try await server.token(scopes: ["monitoring:read"]).utf8).write(to: tokenFile)
                let configuration = folder.appendingPathComponent("prometheus.yml")
                try """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: pulse
                    authorization:
                      type: Bearer
                      credentials_file: \(tokenFile.path)
                    static_configs:
                      - targets: ["127.0.0.1:\(port)"]
                """.write(to: configuration, atomically: true, encoding: .utf8)
                let webPort = try Self.freePort()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: prometheus)
                process.arguments = [
                    "--config.file=\(configuration.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
                    "--web.listen-address=127.0.0.1:\(webPort)",
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                defer {
                    // SIGKILL: the wait below (in a defer, so blocking) only reaps it.
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
                let query = "pulse_host_cpu_usage_ratio".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let result = try await Self.firstResult(url: "http://127.0.0.1:\(webPort)/api/v1/query?query=\(query)")
                let labels = result["metric"] as? [String: String]
                #expect(labels?["id"] == "h1" && labels?["hostname"] == "web-1" && labels?["job"] == "pulse")
                #expect(((result["value"] as? [Any])?.last as? String) == "0.375")
            }
        }
    }

    /// Asks Prometheus until the query has a result (its first scrape takes a second or two).
    static func firstResult(url: String) async throws -> [String: Any] {
        let curl = CurlClient(timeout: .seconds(5))
        let deadline = ContinuousClock.now + .seconds(60)
        var last = "no answer"
        while ContinuousClock.now < deadline {
            if let reply = try? await curl.get(url, headers: []), reply.status == 200,
                let body = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
                let result = ((body["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first
            {
                return result
            } else if let reply = try? await curl.get(url, headers: []) {
                last = String(decoding: reply.body, as: UTF8.self)
            }
            // Waiting on an external process, not standing in for a clock.
            try await Task.sleep(for: .milliseconds(500))
        }
        Issue.record("Prometheus returned no series within 60 s; last answer: \(last)")
        throw CancellationError()
    }

    static func freePort() throws -> Int { PortReservation.freePort() }
}

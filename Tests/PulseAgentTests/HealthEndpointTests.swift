import CurlHTTP
import Foundation
import Synchronization
import Testing

@testable import PulseAgent

/// `--health-addr`: readiness follows deliveries on an injectable clock; the socket serves it.
@Suite struct HealthEndpointTests {
    final class ManualClock: Sendable {
        let seconds = Mutex(1000.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { [self] in seconds.withLock { $0 } } }
    }

    func responder(_ clock: ManualClock, interval: Int = 30) -> (AgentStatus, HealthResponder) {
        let status = AgentStatus(now: clock.now)
        return (status, HealthResponder(status: status, version: "9.9.9", intervalSeconds: interval, startedAt: clock.now()))
    }

    @Test func readinessFollowsDeliveriesWithinThreeIntervals() {
        let clock = ManualClock()
        let (status, health) = responder(clock, interval: 30)
        #expect(health.reply(method: "GET", path: "/healthz").status == 200)
        let before = health.reply(method: "GET", path: "/readyz")
        #expect(before.status == 503)
        #expect(before.body.contains("no report has reached the server yet"))

        status.recordDelivery(buffered: 0)
        clock.advance(89)
        #expect(health.reply(method: "GET", path: "/readyz").status == 200)
        status.update { $0.lastProblem = "connection refused" }
        clock.advance(2)
        let stale = health.reply(method: "GET", path: "/readyz")
        #expect(stale.status == 503)
        #expect(stale.body == "not ready: last report reached the server 91 s ago (connection refused)\n")
        status.recordDelivery(buffered: 0)
        #expect(health.reply(method: "GET", path: "/readyz?verbose=1").status == 200)
    }

    @Test func shortIntervalsStillGetAMinuteOfGrace() {
        let clock = ManualClock()
        let (status, health) = responder(clock, interval: 1)
        status.recordDelivery(buffered: 0)
        clock.advance(59)
        #expect(health.reply(method: "GET", path: "/readyz").status == 200)
        clock.advance(2)
        #expect(health.reply(method: "GET", path: "/readyz").status == 503)
    }

    @Test func metricsAreValidExpositionTextWithTheCounters() {
        let clock = ManualClock()
        let (status, health) = responder(clock)
        status.update {
            $0.reportsRejected = 2
            $0.deliveryFailures = 5
            $0.lastCollectionSeconds = 0.0042
        }
        status.recordDelivery(buffered: 7)
        clock.advance(12.5)
        let reply = health.reply(method: "GET", path: "/metrics")
        #expect(reply.contentType.hasPrefix("text/plain; version=0.0.4"))
        let samples = Dictionary(
            reply.body.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line -> (String, String) in
                let parts = line.split(separator: " ")
                return (String(parts[0]), String(parts[1]))
            }, uniquingKeysWith: { first, _ in first })
        #expect(samples["pulse_agent_info{version=\"9.9.9\"}"] == "1")
        #expect(samples["pulse_agent_reports_delivered_total"] == "1")
        #expect(samples["pulse_agent_reports_rejected_total"] == "2")
        #expect(samples["pulse_agent_delivery_failures_total"] == "5")
        #expect(samples["pulse_agent_reports_buffered"] == "7")
        #expect(samples["pulse_agent_collection_duration_seconds"] == "0.004")
        #expect(samples["pulse_agent_last_delivery_age_seconds"] == "12.5")
        #expect(samples["pulse_agent_uptime_seconds"] == "12.5")
        // Every sample has its HELP and TYPE lines first, as Prometheus expects.
        let lines = reply.body.split(separator: "\n")
        for (index, line) in lines.enumerated() where !line.hasPrefix("#") {
            let name = line.split(separator: " ")[0].split(separator: "{")[0]
            #expect(lines[index - 1].hasPrefix("# TYPE \(name) "), "\(line)")
            #expect(lines[index - 2].hasPrefix("# HELP \(name) "), "\(line)")
        }
    }

    @Test func unknownPathsAndMethodsAreRefused() {
        let (_, health) = responder(ManualClock())
        #expect(health.reply(method: "GET", path: "/").status == 404)
        #expect(health.reply(method: "POST", path: "/healthz").status == 405)
    }

    @Test func addressesParseAsGoWritesThem() throws {
        #expect(try ListenAddress(parsing: ":9191") == ListenAddress(host: nil, port: 9191))
        #expect(try ListenAddress(parsing: "127.0.0.1:9100") == ListenAddress(host: "127.0.0.1", port: 9100))
        #expect(try ListenAddress(parsing: "[::1]:9191") == ListenAddress(host: "::1", port: 9191))
        #expect(try ListenAddress(parsing: "[::1]:9191")?.description == "[::1]:9191")
        #expect(try ListenAddress(parsing: "") == nil)
        #expect(try ListenAddress(parsing: "off") == nil)
        for bad in ["9191", "host:", "host:http", ":70000"] {
            #expect(throws: ListenAddress.Invalid.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }

    @Test func badHealthAddressIsAUsageError() throws {
        var options = try AgentOptions.parse(["--health-addr", "nonsense"])
        #expect(throws: (any Error).self) { try options.resolve(environment: [:], readFile: { _ in nil }) }
        options = try AgentOptions.parse(["--health-addr", "off"])
        #expect(try options.resolve(environment: [:], readFile: { _ in nil }).healthAddress == nil)
    }

    @Test func theSocketServesTheRepliesAndStopsOnShutdown() async throws {
        let (status, health) = responder(ManualClock())
        status.recordDelivery(buffered: 0)
        let listener = try ListenAddress(host: "127.0.0.1", port: 0).listen()
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let base = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        async let served: Void = try BlockingThread.run { HealthEndpoint.serve(listener, responder: health) }
        // Whatever happens to the requests, shut the listener down so the serving thread ends.
        var failure: (any Error)?
        do {
            // Generous: with every test of the run (and CI's peer builds) on two cores, the
            // serving thread's task has been seen to start seconds late.
            let client = CurlClient(timeout: .seconds(60))
            #expect(try await client.get(base + "/readyz", headers: []).status == 200)
            let metrics = try await client.get(base + "/metrics", headers: [])
            #expect(String(decoding: metrics.body, as: UTF8.self).contains("pulse_agent_reports_delivered_total 1"))
            #expect(try await client.get(base + "/nope", headers: []).status == 404)
        } catch {
            failure = error
        }
        shutdown(listener, Int32(SHUT_RDWR))
        try await served
        if let failure { throw failure }
        close(listener)
    }
}

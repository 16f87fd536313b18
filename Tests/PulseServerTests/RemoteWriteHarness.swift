import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport
@testable import RemoteWrite

/// A test server with remote write to `url`, and the sampler ticks the tests drive on its
/// manual clock (set to the wall clock first: the engines keep samples near the present).
struct RemoteWriteHarness {
    let server: TestServer
    let client: any TestClientProtocol
    let sampler: MetricsSamplingService
    let hostID: String

    var writer: RemoteWriter {
        get throws { try #require(server.dependencies.remoteWrite, "remote write is not configured") }
    }

    /// The configuration of a server that writes to `url` as `instance`.
    static func configure(url: String, instance: String, queueMaxBytes: Int? = nil) -> (inout ServerConfiguration) -> Void {
        { configuration in
            var settings = RemoteWriteSettings(url: url, instanceName: instance)
            if let queueMaxBytes { settings.queueMaxBytes = queueMaxBytes }
            settings.timeout = .seconds(5)
            configuration.remoteWrite = settings
        }
    }

    /// A server writing to `url`, its clock at the wall clock's whole second.
    static func with<T: Sendable>(
        url: String, instance: String = "a", hostID: String = "h1", queueMaxBytes: Int? = nil, dataDirectory: URL? = nil,
        _ body: @Sendable (RemoteWriteHarness) async throws -> T
    ) async throws -> T {
        try await with(
            configure: configure(url: url, instance: instance, queueMaxBytes: queueMaxBytes), hostID: hostID, dataDirectory: dataDirectory, body)
    }

    /// A server configured by `configure` (remote write among its settings), its clock at the
    /// wall clock's whole second.
    static func with<T: Sendable>(
        configure: (inout ServerConfiguration) -> Void, hostID: String = "h1", dataDirectory: URL? = nil,
        _ body: @Sendable (RemoteWriteHarness) async throws -> T
    ) async throws -> T {
        try await TestServer.with(configure: configure, dataDirectory: dataDirectory) { server, client in
            server.time.advance(by: Date().timeIntervalSince(server.time.now()).rounded(.down))
            let sampler = server.metricsSampler()
            return try await body(RemoteWriteHarness(server: server, client: client, sampler: sampler, hostID: hostID))
        }
    }

    /// One sampler tick: the host reports `cpu` percent, the state is sampled (and queued for
    /// remote write), the queue is drained, the clock moves 10 s. Returns the sample's time and how
    /// many samples it queued.
    @discardableResult
    func tick(cpu: Double, drain: Bool = true) async throws -> (at: Date, samples: Int) {
        let now = server.time.now()
        // A new report time each tick: a report with the time of the last one is a repeat.
        let report = try await client.post(
            "/api/agents/host/report", token: TestServer.adminToken,
            body: AgentPayloads.host(hostname: "web-\(hostID)", hostID: hostID, timestamp: ISO8601DateFormatter().string(from: now), cpu: cpu))
        #expect(report.status == .ok, "host report: \(report.text)")
        let samples = await server.dependencies.state.snapshot().expositionFamilies().reduce(0) { $0 + $1.samples.count }
        await sampler.sample(at: now)
        if drain { try await writer.drain() }
        server.time.advance(by: 10)
        return (now, samples)
    }

    /// Unix milliseconds of `date`, as a sample carries it.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Bytes of the batch files in the queue folder now (what the bound limits).
    var queueBytesOnDisk: Int {
        let folder = server.dependencies.dataDirectory.remoteWriteQueuePath
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { total, name in
            total + (((try? FileManager.default.attributesOfItem(atPath: folder + "/" + name))?[.size] as? Int) ?? 0)
        }
    }
}

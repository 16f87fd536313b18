import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// A server built exactly as `pulse` builds it, on a temporary data folder and a manual clock.
struct TestServer {
    /// A full-access token configured as `API_TOKENS` would be.
    static let adminToken = String(repeating: "ab", count: 32)

    let app: PulseApp
    let time: ManualTimeSource
    let dataDirectory: URL

    var dependencies: ServerDependencies { app.dependencies }

    /// The metrics sampler wired as the server wires it (history store, charts, remote write when
    /// configured), for tests that sample on their own clock.
    func metricsSampler() -> MetricsSamplingService {
        MetricsSamplingService(
            state: dependencies.state, store: dependencies.metrics, charts: dependencies.charts, time: time, interval: .seconds(10),
            logger: Logger(label: "test"), remoteWrite: dependencies.remoteWrite)
    }

    /// Builds a server, runs `body` with a router-level test client, then removes the data folder.
    static func with<T: Sendable>(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        dataDirectory: URL? = nil,
        _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let folder = dataDirectory ?? temporaryFolder()
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(at: folder) } }
        let server = try await make(dataDirectory: folder, configure: configure)
        return try await server.app.application.test(.router) { client in
            try await body(server, client)
        }
    }

    /// Like `with`, over a real socket on loopback (`client.port`), logging to `logHandler` when given.
    static func live<T: Sendable>(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        logHandler: (any LogHandler)? = nil,
        _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await make(dataDirectory: folder, configure: configure, logHandler: logHandler)
        return try await server.app.application.test(.live) { client in
            try await body(server, client)
        }
    }

    static func make(
        dataDirectory: URL, configure: (inout ServerConfiguration) -> Void = { _ in }, logHandler: (any LogHandler)? = nil
    ) async throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = dataDirectory.path
        configuration.bindAddress = "127.0.0.1"
        configuration.port = 0
        configuration.apiTokens = [adminToken]
        configuration.logLevel = .critical
        // The router test framework runs the application's services on real time. Tests drive
        // alert evaluation, metrics sampling, notification delivery, remote write, periodic discovery and patrol
        // themselves with the manual clock, so these loops must not run beside them.
        configuration.alertEvaluationInterval = .seconds(86_400)
        configuration.alertsOnArrival = false
        configuration.metricsSampleInterval = .seconds(86_400)
        configuration.notificationInterval = .seconds(86_400)
        configuration.discoveryCheckInterval = .seconds(86_400)
        configuration.remoteWriteDrainInterval = .seconds(86_400)
        configuration.patrol.interval = .seconds(86_400)
        // The live test client opens its one connection when a test starts and sends the first
        // request whenever the test gets there; tests of the header timeout set their own.
        configuration.headerTimeout = .seconds(60)
        // Hundreds of servers share this process's two cores and blocking pool: cost 12 made
        // logins wait seconds behind each other (tests that check the cost set their own).
        configuration.passwordHashCost = 4
        // Every read sees the current version, as tests that change the state through the core
        // (pollers, demo mode, the alert engine) and then read it expect; the tests of
        // `StateDocuments` set their own bound.
        configuration.stateMaxStaleness = .zero
        configure(&configuration)
        let time = ManualTimeSource()
        var logger = logHandler.map { handler in Logger(label: "pulse-test") { _ in handler } } ?? Logger(label: "pulse-test")
        logger.logLevel = .critical
        if logHandler != nil {
            configuration.logLevel = .trace
            logger.logLevel = .trace
        }
        let app = try await buildApplication(configuration, time: time, logger: logger)
        return TestServer(app: app, time: time, dataDirectory: dataDirectory)
    }

    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Mints a token with exactly `scopes` directly in the registry.
    func token(scopes: [String]) async throws -> String {
        try await dependencies.tokens.create(name: "test", scopes: scopes.map { .init(rawValue: $0) }).raw
    }
}

extension HTTPFields {
    static func token(_ raw: String) -> HTTPFields { [.apiToken: raw] }
    static func bearer(_ raw: String) -> HTTPFields { [.authorization: "Bearer \(raw)"] }
    static var json: HTTPFields { [.contentType: "application/json"] }
}

extension TestResponse {
    /// The body parsed as a JSON object; fails the test if it is not one.
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let data = Data(buffer: body)
        let object = try JSONSerialization.jsonObject(with: data)
        return try #require(
            object as? [String: Any], "body is not a JSON object: \(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    var text: String { String(buffer: body) }

    /// One top-level field of a JSON object body, nil when absent or not JSON.
    func field<T>(_ name: String, as type: T.Type) -> T? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?[name] as? T
    }
}

extension ByteBuffer {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

import Foundation
import Testing

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `/metrics` text is rendered from the gauge families remote write also sends; the text must
/// stay what it was before that split (Fixtures/exposition/demo-small.prom was written by the
/// renderer that built the text directly).
@Suite("The /metrics text of a demo estate, byte for byte")
struct PrometheusExpositionTests {
    static let fixture = PeerProcess.repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/exposition/demo-small.prom")

    /// The demo estate's exposition with the build's version replaced by `VERSION`.
    static func demoExposition() async throws -> String {
        try await TestServer.with { server, client in
            _ = try await DemoModeTests.switchOn(client)
            server.time.advance(by: 4)
            await server.dependencies.demo.readIfDue()
            let text = await server.dependencies.state.snapshot().prometheusExposition()
            return text.replacingOccurrences(of: "version=\"\(BuildInfo.version)\"", with: "version=\"VERSION\"")
        }
    }

    @Test func theDemoEstateRendersExactlyAsTheRecordedText() async throws {
        let text = try await Self.demoExposition()
        if let path = ProcessInfo.processInfo.environment["PULSE_RECORD_EXPOSITION"] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.fixture, encoding: .utf8)
        #expect(text.split(separator: "\n").count > 300, "the estate has nodes, guests, storage, hosts, Docker and Kubernetes")
        #expect(text == expected)
    }
}

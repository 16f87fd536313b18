import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport
@testable import RemoteWrite

/// The wiring: with a receiver configured, the server's own sampler queues and its own
/// `RemoteWriteService` sends, nobody asking; without one, nothing of remote write exists.
@Suite("Remote write service: wired into the server's services", .timeLimit(.minutes(5)))
struct RemoteWriteServiceTests {
    @Test func theServerSamplesAndSendsByItselfWhenAReceiverIsConfigured() async throws {
        try await RemoteWriteFailureTests.Receiver.with(script: "remote-write-fixture.py", arguments: []) { receiver in
            try await TestServer.with(configure: {
                RemoteWriteHarness.configure(url: receiver.info.url, instance: "a")(&$0)
                $0.metricsSampleInterval = .milliseconds(100)
                $0.remoteWriteDrainInterval = .milliseconds(100)
            }) { server, _ in
                let writer = try #require(server.dependencies.remoteWrite)
                // No sample or drain is asked for here: the services, running beside the test, do both.
                let sent = try await AlertEngineTests.eventually(within: .seconds(30)) {
                    await writer.statistics().samplesSent > 0
                }
                let statistics = await writer.statistics()
                #expect(sent, "\(statistics)")
                #expect(Int(try await receiver.command("requests").dropFirst(3)) ?? 0 >= 1)
            }
        }
    }

    @Test func withoutAURLThereIsNoWriterNoQueueFolderAndNoSelfMetrics() async throws {
        try await TestServer.with { server, client in
            #expect(server.dependencies.remoteWrite == nil)
            #expect(!FileManager.default.fileExists(atPath: server.dependencies.dataDirectory.remoteWriteQueuePath))
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.apiToken: TestServer.adminToken]).text
            #expect(metrics.contains("pulse_build_info") && !metrics.contains("pulse_remote_write"))
            let diagnostics = try await client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: TestServer.adminToken])
            #expect(try diagnostics.jsonObject()["remoteWrite"] == nil)
        }
    }
}

import CurlHTTP
import Foundation
import Testing

@testable import PulseAgent

@Suite("The on-disk report buffer")
struct ReportBufferTests {
    func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pulse-buffer-\(UUID().uuidString)/nested").path
    }

    @Test func keepsOrderDropsTheOldestWhenFullAndSurvivesARestart() async throws {
        let path = folder()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let buffer = try ReportBuffer(directory: path, capacity: 3)
        for index in 1...4 {
            let dropped = try await buffer.append(.host, body: Array("report \(index)".utf8))
            #expect(dropped == (index == 4 ? 1 : 0))
        }
        #expect(await buffer.count == 3)
        #expect(await buffer.oldest()?.body == Array("report 2".utf8), "report 1 made room")

        let reopened = try ReportBuffer(directory: path, capacity: 3)
        #expect(await reopened.count == 3, "what was buffered survives an agent restart")
        var drained: [String] = []
        while let entry = await reopened.oldest() {
            drained.append(String(decoding: entry.body, as: UTF8.self))
            await reopened.remove(entry.sequence)
        }
        #expect(drained == ["report 2", "report 3", "report 4"])
        _ = try await reopened.append(.docker, body: Array("next".utf8))
        let next = try #require(await reopened.oldest())
        #expect(next.sequence == 5 && next.kind == .docker, "sequence numbers continue after a restart")
        let files = try FileManager.default.contentsOfDirectory(atPath: path)
        #expect(files == ["00000000000000000005-docker.json"])
        let mode = (try FileManager.default.attributesOfItem(atPath: path + "/" + files[0])[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }

    @Test func capacityIsAnHourOfReportsButAtLeastSixty() {
        var configuration = AgentConfiguration()
        configuration.intervalSeconds = 30
        #expect(configuration.bufferCapacity == 120)
        configuration.intervalSeconds = 600
        #expect(configuration.bufferCapacity == 60)
        configuration.intervalSeconds = 1
        #expect(configuration.bufferCapacity == 3600)
    }
}

/// A module whose source fails keeps its loop alive, backs off, and buffers nothing.
@Suite struct FailingModuleTests {
    struct BrokenSource: ReportSource {
        var kind: ReportKind { .docker }
        func nextReport() async throws -> [UInt8] { throw TransportError(description: "Couldn't connect to server") }
    }

    @Test func aFailingCollectionIsCountedAndNothingIsSent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-failing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let service = ReportingService(
            source: BrokenSource(),
            sender: ReportSender(client: CurlClient(timeout: .seconds(1)), baseURL: "http://127.0.0.1:1", token: "t"),
            buffer: try ReportBuffer(directory: folder.path, capacity: 10), interval: .seconds(30), logger: .init(label: "test"))
        #expect(await service.cycle() == .keepReporting)
        #expect(await service.cycle() == .keepReporting)
        #expect(service.collectionFailures.value == 2)
        #expect(service.status.snapshot.collectionFailures == 2)
        #expect(service.status.snapshot.lastProblem?.contains("docker collection failed") == true)
        #expect(await service.buffer.count == 0, "nothing to keep from a failed collection")
    }

    @Test func backoffDoublesUpToSixteenIntervalsAndFiveMinutes() {
        #expect(ReportingService.delay(after: 0, interval: .seconds(10)) == .seconds(10))
        #expect(ReportingService.delay(after: 1, interval: .seconds(10)) == .seconds(20))
        #expect(ReportingService.delay(after: 3, interval: .seconds(10)) == .seconds(80))
        #expect(ReportingService.delay(after: 9, interval: .seconds(10)) == .seconds(160))
        #expect(ReportingService.delay(after: 9, interval: .seconds(30)) == .seconds(300))
        #expect(ReportingService.delay(after: 2, interval: .seconds(600)) == .seconds(600), "never shorter than the interval")
    }
}

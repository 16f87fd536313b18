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

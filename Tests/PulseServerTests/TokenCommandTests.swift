import ArgumentParser
import Foundation
import Testing

@testable import PulseServer

@Suite("pulse token subcommands")
struct TokenCommandTests {
    func run(_ arguments: [String]) async throws {
        var command = try #require(try PulseCommand.parseAsRoot(arguments) as? any AsyncParsableCommand)
        try await command.run()
    }

    @Test func createWritesIntoTheNamedDataFolderAndReplaceKeepsOne() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await run(["token", "create", "--data-dir", folder.path, "--name", "make run"])
        try await run(["token", "create", "--data-dir", folder.path, "--name", "make run", "--replace"])
        try await run(["--data-dir", folder.path, "token", "create", "--name", "reader", "--scope", "monitoring:read"])

        let database = try PulseDatabase(path: folder.appendingPathComponent("pulse.db").path)
        let tokens = try TokenRegistry(database: database, time: SystemTimeSource())
        let records = await tokens.list()
        #expect(records.filter { $0.name == "make run" }.count == 1, "--replace revokes the earlier token of that name")
        #expect(records.first { $0.name == "make run" }?.scopes == [.wildcard])
        #expect(records.first { $0.name == "reader" }?.scopes == [.monitoringRead])
    }

    @Test func unknownScopeIsRejected() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect(throws: (any Error).self) {
            try await run(["token", "create", "--data-dir", folder.path, "--scope", "root:everything"])
        }
    }
}

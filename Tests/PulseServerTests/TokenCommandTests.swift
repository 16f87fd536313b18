import ArgumentParser
import Foundation
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

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

    @Test func tokensMintedOrRevokedBesideARunningServerTakeEffectAtTheNextFlush() async throws {
        try await TestServer.with { server, client in
            let revoked = try await server.token(scopes: ["monitoring:read"])
            let revokedID = try #require(await server.dependencies.tokens.authenticate(revoked)?.id)
            // `pulse token create --replace` in another process: its own registry on the same database.
            let cli = try TokenRegistry(database: server.dependencies.database, time: SystemTimeSource())
            let minted = try await cli.create(name: "from the cli", scopes: [.monitoringRead]).raw
            #expect(try await cli.revoke(id: revokedID))

            try await client.execute(uri: "/api/state", method: .get, headers: .token(minted)) { response in
                #expect(response.status == .unauthorized, "not yet known before the flush")
            }
            let flush = PersistenceFlushService(
                tokens: server.dependencies.tokens, state: server.dependencies.state,
                persistence: server.dependencies.statePersistence, database: server.dependencies.database,
                interval: .seconds(5), logger: .init(label: "test"))
            await flush.flush()
            try await client.execute(uri: "/api/state", method: .get, headers: .token(minted)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/state", method: .get, headers: .token(revoked)) { response in
                #expect(response.status == .unauthorized, "revoked by the CLI")
            }
            #expect(await server.dependencies.tokens.authenticate(TestServer.adminToken) != nil, "API_TOKENS survive a reload")
        }
    }
}

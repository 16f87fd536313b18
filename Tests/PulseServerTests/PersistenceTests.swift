import Crypto
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Data folder: database, key file, sealed secrets, shutdown flush")
struct PersistenceTests {
    @Test func keyFileIsPrivateAndSecretsRoundTrip() async throws {
        try await TestServer.with { server, _ in
            let keyPath = server.dataDirectory.appendingPathComponent(".encryption.key").path
            let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let keyText = try String(contentsOfFile: keyPath, encoding: .utf8)
            #expect(Data(base64Encoded: keyText.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)

            let secrets = server.dependencies.secrets
            try secrets.put("pve-password-1", named: "node:pve1", at: server.time.now())
            #expect(try secrets.get("node:pve1") == "pve-password-1")
            let stored = try server.dependencies.database.read { db in
                try Data.fetchOne(db, sql: "SELECT sealed FROM sealedSecret WHERE name = 'node:pve1'")
            }
            let sealed = try #require(stored)
            #expect(sealed.count == 12 + "pve-password-1".utf8.count + 16, "nonce ‖ ciphertext ‖ tag")
            #expect(!String(decoding: sealed, as: UTF8.self).contains("pve-password-1"))
        }
    }

    @Test func tamperedSecretsFailToOpen() throws {
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        var sealed = try box.seal(Data("secret".utf8))
        sealed[sealed.count - 1] ^= 0x01
        #expect(throws: (any Error).self) { try box.open(sealed) }
    }

    @Test func aMissingKeyIsNotReplacedWhileSealedSecretsExist() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestServer.with(dataDirectory: folder) { server, _ in
            try server.dependencies.secrets.put("x", named: "smtp", at: server.time.now())
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent(".encryption.key"))
        await #expect(throws: SecretBox.KeyError.self) {
            _ = try await TestServer.make(dataDirectory: folder)
        }
    }

    @Test func databaseRunsInWALMode() async throws {
        try await TestServer.with { server, _ in
            let mode = try server.dependencies.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
        }
    }

    @Test func gracefulShutdownFlushesTokenUsageAndAgentRecords() async throws {
        try await TestServer.with { server, client in
            let raw = try await server.token(scopes: ["monitoring:read", "host-agent:report"])
            try await client.execute(uri: "/api/state", method: .get, headers: .token(raw)) { _ in }
            #expect(try await client.post("/api/agents/host/report", token: raw, body: AgentPayloads.host(hostname: "flushed")).status == .ok)
            let recordsBefore = try server.dependencies.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agentRecord") }
            #expect(recordsBefore == 0, "agent records are buffered, not written on the request path")
            let unflushed = try server.dependencies.database.read { db in
                try Date.fetchOne(db, sql: "SELECT lastUsedAt FROM apiToken WHERE hash = ?", arguments: [APIToken.hash(raw)])
            }
            #expect(unflushed == nil, "usage is buffered, not written on the request path")

            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let service = PersistenceFlushService(
                tokens: server.dependencies.tokens, state: server.dependencies.state, persistence: server.dependencies.statePersistence,
                database: server.dependencies.database, interval: .seconds(3600), logger: logger)
            let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let flushed = try server.dependencies.database.read { db in
                try Date.fetchOne(db, sql: "SELECT lastUsedAt FROM apiToken WHERE hash = ?", arguments: [APIToken.hash(raw)])
            }
            #expect(flushed == server.time.now())
            let saved = try server.dependencies.statePersistence.load()
            #expect(saved.hosts.map(\.hostname) == ["flushed"])
        }
    }

    @Test func atomicWritesReplaceWholeFilesWithMode0600() throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("f").path
        try AtomicFile.write(Data("one".utf8), to: path)
        try AtomicFile.write(Data("two".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }
}

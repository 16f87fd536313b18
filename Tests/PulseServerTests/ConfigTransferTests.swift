import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import _CryptoExtras

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `POST /api/config/export` and `/import` against a real fakepve peer.
@Suite("Configuration export and import")
struct ConfigTransferTests {
    static let admin = HTTPFields.token(TestServer.adminToken)
    static let passphrase = "a long enough passphrase"

    @Test(.timeLimit(.minutes(5)))
    func anExportImportedElsewhereRestoresNodesWithWorkingCredentials() async throws {
        try await PVEPeer.with(nodes: 1, guests: 1) { peer in
            let node = AgentPayloads.json([
                "type": "pve", "name": "lab", "host": peer.info.url, "tokenName": peer.info.tokenId, "tokenValue": peer.info.tokenSecret,
                "fingerprint": peer.info.fingerprint,
            ])
            let bundle: String = try await TestServer.with { _, client in
                let created = try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: ByteBuffer(string: node))
                #expect(created.status == .created)
                _ = try await client.execute(
                    uri: "/api/alerts/", method: .post, headers: Self.admin,
                    body: ByteBuffer(string: #"{"nodeDefaults":{"cpu":{"trigger":70,"clear":60}}}"#))
                let hook = try await client.execute(
                    uri: "/api/notifications/webhooks", method: .post, headers: Self.admin,
                    body: ByteBuffer(string: #"{"name":"ops","service":"slack","url":"https://203.0.113.5/services/T0/B0/hook-secret"}"#))
                #expect(hook.status == .created)
                let short = try await client.execute(
                    uri: "/api/config/export", method: .post, headers: Self.admin, body: ByteBuffer(string: #"{"passphrase":"too short"}"#))
                #expect(short.status == .badRequest)
                let export = try await client.execute(
                    uri: "/api/config/export", method: .post, headers: Self.admin,
                    body: ByteBuffer(string: AgentPayloads.json(["passphrase": Self.passphrase])))
                #expect(export.status == .ok)
                #expect(!export.text.contains(peer.info.tokenSecret), "the bundle is sealed")
                return try #require(export.field("data", as: String.self))
            }

            // A fresh server: a wrong passphrase changes nothing, the right one restores the node.
            try await TestServer.with { server, client in
                let wrong = try await client.execute(
                    uri: "/api/config/import", method: .post, headers: Self.admin,
                    body: ByteBuffer(string: AgentPayloads.json(["data": bundle, "passphrase": "not the passphrase"])))
                #expect(wrong.status == .badRequest)
                #expect(try wrong.jsonObject()["code"] as? String == "invalid_passphrase")
                #expect(await server.dependencies.proxmoxInstances.all().isEmpty)
                #expect(await server.dependencies.alerts.configuration.nodeDefaults.cpu?.trigger == 80)
                #expect(await server.dependencies.notificationConfigs.config.webhooks.isEmpty)

                let imported = try await client.execute(
                    uri: "/api/config/import", method: .post, headers: Self.admin,
                    body: ByteBuffer(string: AgentPayloads.json(["data": bundle, "passphrase": Self.passphrase])))
                #expect(imported.status == .ok)
                let restored = try #require(await server.dependencies.proxmoxInstances.all().first)
                #expect(restored.instance.name == "lab" && restored.instance.fingerprint != nil)
                #expect(await server.dependencies.alerts.configuration.nodeDefaults.cpu?.trigger == 70)
                #expect(
                    await server.dependencies.notificationConfigs.config.webhooks.map(\.url) == ["https://203.0.113.5/services/T0/B0/hook-secret"])
                let test = try await client.execute(uri: "/api/config/nodes/\(restored.instance.id)/test", method: .post, headers: Self.admin)
                #expect(test.status == .ok, "the restored credentials log in: \(test.text)")
                #expect(test.field("nodes", as: Int.self) == 1)
            }
        }
    }

    @Test func exportsOfPulseV5WithItsRoundCountOpen() throws {
        // Pulse's layout and PBKDF2 count: salt32 ‖ nonce12 ‖ ciphertext ‖ tag, 100,000 rounds.
        let json = Data(
            #"{"version":"4.1","exportedAt":"2025-06-15T15:06:40.123456789Z","nodes":{"pveInstances":[{"Name":"pve","Host":"https://10.0.0.5:8006","User":"root@pam","Password":"secret-pass","VerifySSL":true,"IsCluster":false}],"pbsInstances":[],"pmgInstances":[]}}"#
                .utf8)
        let salt = Data(repeating: 7, count: 32)
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(Self.passphrase.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: ExportCipher.pulseRounds)
        let box = try AES.GCM.seal(json, using: key)
        let bundle = (salt + Data(box.nonce) + box.ciphertext + box.tag).base64EncodedString()
        let opened = try ExportCipher.open(bundle, passphrase: Self.passphrase)
        #expect(opened == json)
        #expect(throws: ExportCipher.WrongPassphrase.self) { try ExportCipher.open(bundle, passphrase: "another passphrase") }
    }
}

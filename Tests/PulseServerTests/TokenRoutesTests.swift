import Crypto
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("API token management")
struct TokenRoutesTests {
    @Test func createListUseAndDeleteAToken() async throws {
        try await TestServer.with { _, client in
            let admin = HTTPFields.token(TestServer.adminToken)
            let created = try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: admin,
                body: .json(#"{"name":"ansible","scopes":["monitoring:read"]}"#)
            ) { response in
                #expect(response.status == .ok)
                return try response.jsonObject()
            }
            let raw = try #require(created["token"] as? String)
            #expect(raw.count == 64 && raw.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            let record = try #require(created["record"] as? [String: Any])
            let id = try #require(record["id"] as? String)
            #expect(record["name"] as? String == "ansible")
            #expect(record["prefix"] as? String == String(raw.prefix(6)))
            #expect(record["suffix"] as? String == String(raw.suffix(4)))
            #expect(record["scopes"] as? [String] == ["monitoring:read"])
            #expect(record["lastUsedAt"] is NSNull)
            #expect(record["hash"] == nil)

            try await client.execute(uri: "/api/state", method: .get, headers: .token(raw)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/security/tokens", method: .get, headers: .token(raw)) { response in
                #expect(response.status == .forbidden, "monitoring:read must not list tokens")
            }

            try await client.execute(uri: "/api/security/tokens", method: .get, headers: admin) { response in
                let tokens = try #require(try response.jsonObject()["tokens"] as? [[String: Any]])
                let listed = try #require(tokens.first { $0["id"] as? String == id })
                #expect(listed["lastUsedAt"] as? String != nil, "lastUsedAt is set after use")
                #expect(!response.text.contains(raw), "the list never contains a raw token")
            }

            try await client.execute(uri: "/api/security/tokens/\(id)", method: .delete, headers: admin) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/state", method: .get, headers: .token(raw)) { response in
                #expect(response.status == .unauthorized, "a revoked token no longer works")
            }
            try await client.execute(uri: "/api/security/tokens/\(id)", method: .delete, headers: admin) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func omittedScopesMeanFullAccess() async throws {
        try await TestServer.with { _, client in
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(TestServer.adminToken), body: .json(#"{"name":"all"}"#)
            ) { response in
                let record = try #require(try response.jsonObject()["record"] as? [String: Any])
                #expect(record["scopes"] as? [String] == ["*"])
            }
        }
    }

    @Test(arguments: [
        (#"{"name":"x","scopes":["monitoring:read","bogus:scope"]}"#, "bogus:scope"),
        (#"{"name":"x","scopes":["*","monitoring:read"]}"#, "*"),
        (#"{"name":"x","scopes":[]}"#, "scope"),
    ])
    func invalidScopesAre400(body: String, mentioned: String) async throws {
        try await TestServer.with { _, client in
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(TestServer.adminToken), body: .json(body)
            ) { response in
                #expect(response.status == .badRequest)
                let message = try #require(response.field("error", as: String.self))
                #expect(message.contains(mentioned), "'\(message)' should mention \(mentioned)")
            }
        }
    }

    @Test func aScopedTokenCannotMintABroaderOne() async throws {
        try await TestServer.with { server, client in
            let writer = try await server.token(scopes: ["settings:write"])
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(writer), body: .json(#"{"name":"escalate"}"#)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.field("error", as: String.self)?.contains("*") == true)
            }
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(writer),
                body: .json(#"{"name":"same","scopes":["settings:write"]}"#)
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func tokensAreStoredOnlyAsSHA3Hashes() async throws {
        try await TestServer.with { server, client in
            let raw = try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(TestServer.adminToken), body: .json(#"{"name":"db"}"#)
            ) { response in try #require(response.field("token", as: String.self)) }
            let rows = try server.dependencies.database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM apiToken")
            }
            let dump = rows.map(\.description).joined(separator: "\n")
            #expect(!dump.contains(raw), "raw token found in the database")
            #expect(!dump.contains(TestServer.adminToken), "raw API_TOKENS value found in the database")
            let expected = SHA3_256.hash(data: Data(raw.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(rows.contains { ($0["hash"] as String?) == expected })
        }
    }

    @Test func tokensSurviveARestart() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = try await TestServer.with(dataDirectory: folder) { server, _ in
            try await server.token(scopes: ["monitoring:read"])
        }
        try await TestServer.with(dataDirectory: folder) { _, client in
            try await client.execute(uri: "/api/state", method: .get, headers: .token(raw)) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

import Foundation
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

@Suite("First run: bootstrap token, quick setup, security status")
struct QuickSetupTests {
    static func setupBody(password: String = "correct horse battery", token: String? = nil) -> String {
        let tokenField = token.map { #","apiToken":"\#($0)""# } ?? ""
        return #"{"username":"admin","password":"\#(password)"\#(tokenField)}"#
    }

    @Test func firstStartWritesAPrivateBootstrapToken() async throws {
        try await TestServer.with { server, client in
            let path = server.dataDirectory.appendingPathComponent(".bootstrap_token").path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.count == 48)

            try await client.execute(uri: "/api/security/status", method: .get) { response in
                let body = try response.jsonObject()
                #expect(body["setupRequired"] as? Bool == true)
                #expect(body["bootstrapTokenPath"] as? String == path)
                #expect(body["hasAuthentication"] as? Bool == false)
                #expect(body["apiTokenConfigured"] as? Bool == true)
                #expect(!response.text.contains(token), "the status never reveals the token itself")
            }
        }
    }

    @Test func quickSetupCreatesAdminAndTokenThenRetiresTheBootstrapToken() async throws {
        // The production cost, which the other tests lower for speed.
        try await TestServer.with(configure: { $0.passwordHashCost = ServerConfiguration().passwordHashCost }) { server, client in
            let path = server.dataDirectory.appendingPathComponent(".bootstrap_token").path
            let setupToken = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

            let reply = try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.setupToken: setupToken],
                body: .json(Self.setupBody())
            ) { response in
                #expect(response.status == .ok)
                return try response.jsonObject()
            }
            #expect(reply["success"] as? Bool == true)
            let raw = try #require(reply["apiToken"] as? String)
            #expect(APIToken.isCanonical(raw))
            #expect(!FileManager.default.fileExists(atPath: path), "bootstrap token removed after setup")

            let hash = try #require(try server.dependencies.users.passwordHash(for: "admin"))
            #expect(hash.hasPrefix("$2b$12$"), "bcrypt with cost 12")
            #expect(try await server.dependencies.users.verify(username: "admin", password: "correct horse battery"))

            try await client.execute(uri: "/api/state", method: .get, headers: .token(raw)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.setupToken: setupToken], body: .json(Self.setupBody())
            ) { response in
                #expect(response.status == .unauthorized, "a used bootstrap token is worthless")
            }
        }
    }

    @Test func setupTokenMayTravelInTheBodyAndSuppliedAPITokenIsKept() async throws {
        try await TestServer.with { server, client in
            let setupToken = try String(
                contentsOfFile: server.dataDirectory.appendingPathComponent(".bootstrap_token").path, encoding: .utf8
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            let chosen = String(repeating: "c0", count: 32)
            let body = #"{"username":"root","password":"a long enough password","apiToken":"\#(chosen)","setupToken":"\#(setupToken)"}"#
            try await client.execute(uri: "/api/security/quick-setup", method: .post, body: .json(body)) { response in
                #expect(response.status == .ok)
                #expect(response.field("apiToken", as: String.self) == chosen)
            }
            try await client.execute(uri: "/api/state", method: .get, headers: .token(chosen)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func quickSetupRejectsWeakInputWithClearMessages() async throws {
        try await TestServer.with { server, client in
            let setupToken = try String(
                contentsOfFile: server.dataDirectory.appendingPathComponent(".bootstrap_token").path, encoding: .utf8
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.setupToken: setupToken],
                body: .json(Self.setupBody(password: "short"))
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("error", as: String.self)?.contains("at least 12 characters") == true)
            }
            try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.setupToken: setupToken],
                body: .json(Self.setupBody(token: "pulse_not_hex"))
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.field("details", as: [String: String].self) == ["field": "apiToken"])
            }
            try await client.execute(
                uri: "/api/security/quick-setup", method: .post, headers: [.setupToken: "wrong"], body: .json(Self.setupBody())
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func authUserFromEnvironmentSkipsTheBootstrapToken() async throws {
        try await TestServer.with(configure: {
            $0.authUser = "ops"
            $0.authPassword = "from the environment"
        }) { server, client in
            #expect(!FileManager.default.fileExists(atPath: server.dataDirectory.appendingPathComponent(".bootstrap_token").path))
            #expect(try await server.dependencies.users.verify(username: "ops", password: "from the environment"))
            try await client.execute(uri: "/api/security/status", method: .get) { response in
                let body = try response.jsonObject()
                #expect(body["hasAuthentication"] as? Bool == true)
                #expect(body["setupRequired"] as? Bool == false)
                #expect(body["authUsername"] == nil, "anonymous callers are not told the admin name")
            }
        }
    }
}

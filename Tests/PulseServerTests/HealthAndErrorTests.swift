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

@Suite("Health, version and the shape of every response")
struct HealthAndErrorTests {
    @Test func healthIsPublicAndReportsUptime() async throws {
        try await TestServer.with { server, client in
            server.time.advance(by: 42)
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try response.jsonObject()
                #expect(body["status"] as? String == "healthy")
                #expect(body["uptime"] as? Double == 42)
                #expect(body["timestamp"] as? Int == Int(server.time.now().timeIntervalSince1970))
            }
        }
    }

    @Test func versionCarriesTheSeedFields() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/version", method: .get) { response in
                #expect(response.status == .ok)
                let body = try response.jsonObject()
                #expect(body["version"] as? String == BuildInfo.version)
                #expect(body["runtime"] as? String == "swift")
                for key in ["build", "channel", "deploymentType", "isDocker", "isDevelopment", "updateAvailable", "latestVersion"] {
                    #expect(body[key] != nil, "missing \(key)")
                }
            }
        }
    }

    @Test func everyResponseHasRequestIDAndSecurityHeaders() async throws {
        try await TestServer.with { _, client in
            for uri in ["/api/health", "/api/state", "/no/such/route"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let id = try #require(response.headers[.requestID])
                    #expect(id.count >= 8)
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                    #expect(response.headers[.xFrameOptions] == "DENY")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[.referrerPolicy] != nil)
                }
            }
        }
    }

    @Test func incomingRequestIDIsEchoedWhenWellFormed() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/health", method: .get, headers: [.requestID: "proxy-1234abcd"]) { response in
                #expect(response.headers[.requestID] == "proxy-1234abcd")
            }
            try await client.execute(uri: "/api/health", method: .get, headers: [.requestID: "bad id with spaces"]) { response in
                #expect(response.headers[.requestID] != "bad id with spaces")
            }
        }
    }

    @Test func unknownRouteIsAJSONNotFound() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/nothing-here", method: .get, headers: .token(TestServer.adminToken)) { response in
                #expect(response.status == .notFound)
                let body = try response.jsonObject()
                #expect(body["code"] as? String == "not_found")
                #expect((body["error"] as? String)?.contains("/api/nothing-here") == true)
                #expect(body["status_code"] as? Int == 404)
            }
        }
    }

    @Test func malformedJSONIsA400NamingTheProblem() async throws {
        try await TestServer.with { _, client in
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(TestServer.adminToken), body: .json("{\"name\": ")
            ) { response in
                #expect(response.status == .badRequest)
                let body = try response.jsonObject()
                #expect(body["code"] as? String == "invalid_json")
                #expect((body["error"] as? String)?.hasPrefix("Malformed JSON body") == true)
            }
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(TestServer.adminToken),
                body: .json(#"{"name": 5}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let message = response.field("error", as: String.self)
                #expect(message?.contains("name") == true, "message should name the field: \(message ?? "nil")")
            }
        }
    }

    @Test func oversizedBodyIs413WithTheLimit() async throws {
        try await TestServer.with { _, client in
            let big = "{\"name\": \"" + String(repeating: "x", count: 20_000) + "\"}"
            try await client.execute(
                uri: "/api/security/tokens", method: .post, headers: .token(TestServer.adminToken), body: .json(big)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let body = try response.jsonObject()
                #expect(body["code"] as? String == "payload_too_large")
                #expect((body["error"] as? String)?.contains("16 KiB") == true)
            }
        }
    }
}

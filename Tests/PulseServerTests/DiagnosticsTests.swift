import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `GET /api/diagnostics` and `/api/diagnostics/bundle`: what a bug report needs, cached 45 s,
/// and none of the secrets the server holds.
@Suite("Diagnostics and the bug-report bundle")
struct DiagnosticsTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]
    static let proxmoxPassword = "pve-password-7f3a9c"
    static let webhookSecret = "hook-secret-b81d0e"

    @Test func theReportDescribesTheServerWithoutASecretAndIsCachedFor45Seconds() async throws {
        try await TestServer.with { server, client in
            let node = #"{"type":"pve","name":"lab","host":"https://192.0.2.10:8006","user":"monitor@pve","password":"\#(Self.proxmoxPassword)"}"#
            #expect(try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(node)).status == .created)
            let hook = #"{"name":"ops","service":"generic","url":"https://203.0.113.5/hooks/\#(Self.webhookSecret)"}"#
            #expect(
                try await client.execute(uri: "/api/notifications/webhooks", method: .post, headers: Self.admin, body: .json(hook)).status == .created
            )
            let agentToken = try await server.token(scopes: ["host-agent:report"])
            let report = try await client.execute(
                uri: "/api/agents/host/report", method: .post, headers: [.apiToken: agentToken, .contentType: "application/json"],
                body: ByteBuffer(string: AgentPayloads.host(hostname: "db1", agentID: "agent-db1")))
            #expect(report.status == .ok)
            // An error line that carries a credential by mistake.
            var logger = Logger(label: "careless") { _ in StreamLogHandler.standardError(label: "careless") }
            logger.handler = RecordingLogHandler(
                wrapping: logger.handler, label: "careless", recent: server.dependencies.configuration.recentLogs,
                level: server.dependencies.configuration.runtimeLogLevel, time: server.time)
            logger.critical("lost the database, retrying with token=\(agentToken)")

            let reader = try await server.token(scopes: ["settings:read"])
            let first = try await client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: reader])
            #expect(first.status == .ok)
            let object = try first.jsonObject()
            let generatedAt = try #require(object["generatedAt"] as? String)
            #expect(first.headers[.init("X-Diagnostics-Cached-At")!] == generatedAt)
            #expect(object["version"] as? String == BuildInfo.version)
            let agents = try #require(object["agents"] as? [String: Any])
            #expect(agents["hosts"] as? Int == 1 && (agents["byVersion"] as? [String: Int]) == ["5.1.36": 1])
            let configuration = try #require(object["configuration"] as? [String: Any])
            #expect(((configuration["nodes"] as? [String: Any])?["pveInstances"] as? [Any])?.count == 1)
            let files = try #require(object["database"] as? [[String: Any]])
            #expect(files.contains { $0["name"] as? String == "pulse.db" && ($0["bytes"] as? Int ?? 0) > 0 })
            #expect(((object["runtime"] as? [String: Any])?["memoryRSSBytes"] as? Int ?? 0) > 1_000_000)
            let errors = try #require(object["recentErrors"] as? [[String: Any]])
            #expect(errors.contains { ($0["message"] as? String)?.contains("token=[redacted]") == true })

            // Within 45 s the same report; after, a new one.
            server.time.advance(by: 30)
            let cached = try await client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: reader])
            #expect(cached.field("generatedAt", as: String.self) == generatedAt)
            server.time.advance(by: 16)
            let fresh = try await client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: reader])
            #expect(fresh.field("generatedAt", as: String.self) != generatedAt)

            let bundle = try await client.execute(uri: "/api/diagnostics/bundle", method: .get, headers: [.apiToken: reader])
            #expect(bundle.status == .ok)
            #expect(bundle.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"pulse-diagnostics-") == true)
            #expect((try bundle.jsonObject()["logs"] as? [Any])?.isEmpty == false)

            let secrets = [Self.proxmoxPassword, Self.webhookSecret, agentToken, reader, TestServer.adminToken]
            for (name, text) in [("diagnostics", first.text), ("fresh diagnostics", fresh.text), ("bundle", bundle.text)] {
                for secret in secrets { #expect(!text.contains(secret), "a secret in the \(name)") }
            }

            let monitoring = try await server.token(scopes: ["monitoring:read"])
            #expect(try await client.execute(uri: "/api/diagnostics", method: .get, headers: [.apiToken: monitoring]).status == .forbidden)
            #expect(try await client.execute(uri: "/api/diagnostics/bundle", method: .get, headers: [.apiToken: monitoring]).status == .forbidden)
        }
    }
}

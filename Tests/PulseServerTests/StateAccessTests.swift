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

@Suite("GET /api/state and its access rules")
struct StateAccessTests {
    /// Every top-level key of the Pulse v5 state (reference §5, plus the v5.1 additions).
    static let topLevelKeys = [
        "nodes", "vms", "containers", "dockerHosts", "removedDockerHosts", "kubernetesClusters",
        "removedKubernetesClusters", "hosts", "removedHosts", "storage", "cephClusters", "physicalDisks", "pbs", "pmg",
        "pbsBackups", "pmgBackups", "backups", "replicationJobs", "activeAlerts", "metrics", "pveBackups",
        "performance", "stats", "connectionHealth", "lastUpdate", "temperatureMonitoringEnabled", "pveTagColors",
    ]

    @Test func stateWithTokenHasEveryTopLevelKey() async throws {
        try await TestServer.with { server, client in
            try await client.execute(uri: "/api/state", method: .get, headers: .token(TestServer.adminToken)) { response in
                #expect(response.status == .ok)
                let body = try response.jsonObject()
                for key in Self.topLevelKeys {
                    #expect(body[key] != nil, "missing top-level key \(key)")
                }
                let backups = try #require(body["backups"] as? [String: Any])
                #expect(Set(backups.keys) == ["pve", "pbs", "pmg"])
                let pveBackups = try #require(body["pveBackups"] as? [String: Any])
                #expect(Set(pveBackups.keys) == ["backupTasks", "storageBackups", "guestSnapshots"])
                let lastUpdate = try #require(body["lastUpdate"] as? Int64)
                #expect(lastUpdate == Int64(server.time.now().timeIntervalSince1970 * 1000), "lastUpdate is unix ms")
            }
        }
    }

    @Test func stateWithoutCredentialsIs401() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/state", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try response.jsonObject()
                #expect(body["error"] as? String == "Authentication required")
                #expect(body["code"] as? String == "unauthorized")
            }
        }
    }

    @Test func stateWithTokenLackingMonitoringReadIs403MissingScope() async throws {
        try await TestServer.with { server, client in
            let reportOnly = try await server.token(scopes: ["host-agent:report"])
            try await client.execute(uri: "/api/state", method: .get, headers: .token(reportOnly)) { response in
                #expect(response.status == .forbidden)
                let body = try response.jsonObject()
                #expect(body["error"] as? String == "missing_scope")
                #expect(body["requiredScope"] as? String == "monitoring:read")
            }
        }
    }

    @Test func bearerHeaderIsAcceptedButQueryStringIsNot() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/state", method: .get, headers: .bearer(TestServer.adminToken)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/state?token=\(TestServer.adminToken)", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func unknownTokenIs401InvalidToken() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/state", method: .get, headers: .token(String(repeating: "0", count: 64))) { response in
                #expect(response.status == .unauthorized)
                #expect(response.field("code", as: String.self) == "invalid_token")
            }
        }
    }
}

@Suite("Every registered route enforces its declared access")
struct RouteAccessTests {
    /// A concrete URI for a route pattern: `{id}` and `{file}` become values no resource has (a
    /// brace is not allowed in a request line, so tests over a socket need every one replaced).
    static func uri(for route: RegisteredRoute) -> String {
        // A stream that never ends by itself is asked for what it holds now.
        if streams.contains(route.path) { return route.path + "?follow=false" }
        // Every `{parameter}` gets a value no record has: `{file}` a file name, a VMID a number.
        return route.path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            switch segment {
            case "{file}": "no-such-file"
            case "{vmid}": "999999"
            default: segment.hasPrefix("{") ? "no-such-id" : String(segment)
            }
        }.joined(separator: "/")
    }

    /// Routes that answer with a stream until the client leaves, unless `follow=false`.
    static let streams: Set<String> = ["/api/logs/stream"]

    @Test func routeTableIsNotEmptyAndCoversTheFoundation() async throws {
        try await TestServer.with { server, _ in
            let described = Set(server.app.routes.map { "\($0.method.rawValue) \($0.path)" })
            for expected in [
                "GET /api/health", "GET /api/version", "GET /api/state", "GET /api/security/tokens",
                "POST /api/security/tokens", "DELETE /api/security/tokens/{id}", "GET /api/security/status",
                "POST /api/security/quick-setup",
            ] {
                #expect(described.contains(expected), "route \(expected) is not registered")
            }
        }
    }

    @Test func openRoutesNeedNoCredentials() async throws {
        try await TestServer.with { server, client in
            for route in server.app.routes where route.access == .open && route.method == .get {
                try await client.execute(uri: Self.uri(for: route), method: route.method) { response in
                    // Downloads may answer 400/404 (no arch, no build here), the setup script 400
                    // (no type and host given), a dashboard asset 404 (a placeholder name), single
                    // sign-on's login and callback 302 and the AI provider's sign-in callback 307 (a
                    // browser navigation back to the settings); never 401/403.
                    let needsParameters = route.path.hasPrefix("/download/") || route.path.hasPrefix("/assets/") || route.path == "/api/setup-script"
                    let acceptable: Set<HTTPResponse.Status> =
                        if route.path.hasPrefix("/api/oidc/") {
                            [.found]
                        } else if route.path == "/api/ai/oauth/callback" {
                            [.temporaryRedirect]
                        } else {
                            needsParameters ? [.ok, .badRequest, .notFound] : [.ok]
                        }
                    #expect(acceptable.contains(response.status), "\(route) answered \(response.status)")
                }
            }
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer

/// `GET /api/system/settings`, `POST /api/system/settings/update`, `GET/PUT /api/config/system`:
/// Pulse's keys, strict validation, locks from flags and variables, stored and put in force
/// without a restart.
@Suite("Run-time system settings")
struct SystemSettingsTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    @Test func everyKeyIsListedAndReadingNeedsSettingsRead() async throws {
        try await TestServer.with { server, client in
            for path in ["/api/system/settings", "/api/config/system"] {
                let settings = try await client.execute(uri: path, method: .get, headers: Self.admin) { try $0.jsonObject() }
                for key in SystemSettings.keys { #expect(settings[key] != nil, "\(path) lists \(key)") }
                #expect((settings["envOverrides"] as? [String: Any])?.isEmpty == true)
            }
            let reader = try await server.token(scopes: ["monitoring:read"])
            let refused = try await client.execute(uri: "/api/system/settings", method: .get, headers: [.apiToken: reader])
            #expect(refused.status == .forbidden)
            let settingsReader = try await server.token(scopes: ["settings:read"])
            let write = try await client.execute(
                uri: "/api/system/settings/update", method: .post, headers: [.apiToken: settingsReader, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"pvePollingInterval": 30}"#))
            #expect(write.status == .forbidden)
            #expect(try write.jsonObject()["requiredScope"] as? String == "settings:write")
        }
    }

    @Test func aChangeIsInForceAtOnceStoredAndInForceAgainAfterARestart() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestServer.with(dataDirectory: folder) { server, client in
            let body =
                #"{"pvePollingInterval": 30, "pbsPollingInterval": 120, "metricsRetentionRawHours": 6, "publicURL": "https://pulse.example.org:8443", "envOverrides": {}, "connectionTimeout": 25, "backupPollingEnabled": false}"#
            let reply = try await client.execute(
                uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: ByteBuffer(string: body))
            #expect(reply.status == .ok)
            #expect(reply.field("pvePollingInterval", as: Int.self) == 30)
            #expect(await server.dependencies.schedulerHealth.interval(for: .pve) == 30, "the scheduler follows at once")
            #expect(await server.dependencies.schedulerHealth.interval(for: .pbs) == 120)
            #expect(server.dependencies.metrics.retention.raw == 6 * 3600, "the metrics store follows at once")
            #expect(server.dependencies.pollingOptions.current == .init(backupsEnabled: false, backupInterval: 0, requestTimeout: .seconds(25)))
            let install = try await client.execute(
                uri: "/api/agent-install-command", method: .post, headers: .token(TestServer.adminToken), body: .json(#"{"type":"host"}"#))
            #expect(install.field("command", as: String.self)?.contains("--url 'https://pulse.example.org:8443'") == true)
            let put = try await client.execute(
                uri: "/api/config/system", method: .put, headers: Self.admin, body: ByteBuffer(string: #"{"logLevel": "debug"}"#))
            #expect(put.status == .ok)
            #expect(server.dependencies.configuration.runtimeLogLevel.level == .debug)
            _ = try await client.execute(
                uri: "/api/config/system", method: .put, headers: Self.admin, body: ByteBuffer(string: #"{"logLevel": "info"}"#))
        }
        try await TestServer.with(dataDirectory: folder) { server, client in
            let settings = try await client.execute(uri: "/api/system/settings", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(settings["pvePollingInterval"] as? Int == 30, "stored")
            #expect(settings["publicURL"] as? String == "https://pulse.example.org:8443")
            #expect(await server.dependencies.schedulerHealth.interval(for: .pve) == 30, "in force again after the restart")
            #expect(server.dependencies.metrics.retention.raw == 6 * 3600)
            #expect(server.dependencies.pollingOptions.current.requestTimeout == .seconds(25))
        }
    }

    @Test func aBadValueIsRefusedNamingItsFieldAndNothingChanges() async throws {
        try await TestServer.with { server, client in
            let cases: [(body: String, field: String)] = [
                (#"{"pvePollingInterval": 5}"#, "pvePollingInterval"),
                (#"{"pvePollingInterval": "30"}"#, "pvePollingInterval"),
                (#"{"pvePollingInterval": 30.5}"#, "pvePollingInterval"),
                (#"{"backupPollingInterval": 30}"#, "backupPollingInterval"),
                (#"{"logLevel": "verbose"}"#, "logLevel"),
                (#"{"updateChannel": "nightly"}"#, "updateChannel"),
                (#"{"autoUpdateTime": "25:00"}"#, "autoUpdateTime"),
                (#"{"publicURL": "javascript:alert(1)"}"#, "publicURL"),
                (#"{"publicURL": "https://user:secret@pulse.example"}"#, "publicURL"),
                (#"{"allowedOrigins": "https://ok.example,not an origin"}"#, "allowedOrigins"),
                (#"{"webhookAllowedPrivateCIDRs": "10.0.0.0/33"}"#, "webhookAllowedPrivateCIDRs"),
                (#"{"discoverySubnet": "192.168.1.0/24,nope"}"#, "discoverySubnet"),
                (#"{"temperatureMonitoringEnabled": "yes"}"#, "temperatureMonitoringEnabled"),
                (#"{"metricsRetentionDailyDays": 0}"#, "metricsRetentionDailyDays"),
                ("{\"theme\": \"dark\\nx\"}", "theme"),
            ]
            for (body, field) in cases {
                // A valid change beside the bad one: it must not be applied either.
                var object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                object["pmgPollingInterval"] = 300
                let response = try await client.execute(
                    uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: ByteBuffer(string: AgentPayloads.json(object)))
                #expect(response.status == .badRequest, "\(body)")
                #expect((try response.jsonObject()["details"] as? [String: Any])?["field"] as? String == field, "\(body)")
            }
            #expect(server.dependencies.settings.current == RuntimeSettings.fromConfiguration(server.dependencies.configuration))
            #expect(await server.dependencies.schedulerHealth.interval(for: .pmg) != 300)
        }
    }

    @Test func aKeyAFlagOrVariableSetsIsLockedAndReportedSo() async throws {
        try await TestServer.with(configure: {
            $0.publicURL = "https://fixed.example"
            $0.lockedSettings = ["publicURL"]
        }) { server, client in
            let settings = try await client.execute(uri: "/api/system/settings", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect((settings["envOverrides"] as? [String: Any])?["publicURL"] as? Bool == true)
            #expect(settings["publicURL"] as? String == "https://fixed.example")
            let refused = try await client.execute(
                uri: "/api/system/settings/update", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"publicURL": "https://other.example", "fullWidthMode": true}"#))
            #expect(refused.status == .conflict)
            #expect(try refused.jsonObject()["code"] as? String == "locked_by_environment")
            #expect(server.dependencies.settings.current.publicURL == "https://fixed.example")
            #expect(server.dependencies.settings.current.fullWidthMode == false, "nothing of the refused body applied")
        }
    }

    @Test func theEnvironmentLocksTheKeysItSets() throws {
        let configuration = try ServerOptions.parse([]).resolve(environment: [
            "PVE_POLLING_INTERVAL": "20", "LOG_LEVEL": "warning", "PULSE_METRICS_RETENTION": "3h,24h,7d,90d",
        ])
        #expect(
            configuration.lockedSettings == [
                "pvePollingInterval", "logLevel", "metricsRetentionRawHours", "metricsRetentionMinuteHours", "metricsRetentionHourlyDays",
                "metricsRetentionDailyDays",
            ])
        let settings = RuntimeSettings.fromConfiguration(configuration)
        #expect(settings.pvePollingInterval == 20 && settings.logLevel == "warn" && settings.metricsRetentionRawHours == 3)
    }

    @Test func anExportCarriesTheSystemSettingsAndAnImportPutsThemInForce() async throws {
        try await TestServer.with { server, client in
            let set = { (seconds: Int) in
                try await client.execute(
                    uri: "/api/system/settings/update", method: .post, headers: Self.admin,
                    body: ByteBuffer(string: "{\"pvePollingInterval\": \(seconds)}"))
            }
            _ = try await set(40)
            let export = try await client.execute(
                uri: "/api/config/export", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"passphrase": "a long enough passphrase"}"#))
            let data = try #require(export.field("data", as: String.self))
            _ = try await set(50)
            let imported = try await client.execute(
                uri: "/api/config/import", method: .post, headers: Self.admin,
                body: ByteBuffer(string: AgentPayloads.json(["data": data, "passphrase": "a long enough passphrase"])))
            #expect(imported.status == .ok)
            #expect(server.dependencies.settings.current.pvePollingInterval == 40)
            #expect(await server.dependencies.schedulerHealth.interval(for: .pve) == 40)
        }
    }

    @Test func dashboardSettingsAreEachCallersOwn() async throws {
        try await TestServer.with { server, client in
            let reader = try await server.token(scopes: ["monitoring:read"])
            let readerHeaders: HTTPFields = [.apiToken: reader, .contentType: "application/json"]
            let mine = try await client.execute(
                uri: "/api/settings/update", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"theme": "dark", "columns": {"guests": ["name", "cpu"]}}"#))
            #expect(mine.status == .ok)
            #expect(mine.field("theme", as: String.self) == "dark")
            let theirs = try await client.execute(uri: "/api/settings", method: .get, headers: readerHeaders) { try $0.jsonObject() }
            #expect(theirs["theme"] as? String == "", "another caller's settings are not shown")
            let changed = try await client.execute(
                uri: "/api/settings/update", method: .post, headers: readerHeaders, body: ByteBuffer(string: #"{"defaultView": "hosts"}"#))
            #expect(changed.status == .ok)
            let again = try await client.execute(uri: "/api/settings", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(again["theme"] as? String == "dark" && again["defaultView"] as? String == "overview")
            #expect((again["columns"] as? [String: [String]])?["guests"] == ["name", "cpu"])
            // The admin's defaults for everyone come beside each caller's own choices.
            let system = { (object: [String: Any]) in
                ((object["system"] as? [String: Any])?["theme"] as? String, (object["system"] as? [String: Any])?["fullWidthMode"] as? Bool)
            }
            #expect(system(again) == ("", false))
            let defaults = try await client.execute(
                uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: .json(#"{"theme":"light","fullWidthMode":true}"#))
            #expect(defaults.status == .ok)
            let withDefaults = try await client.execute(uri: "/api/settings", method: .get, headers: readerHeaders) { try $0.jsonObject() }
            #expect(system(withDefaults) == ("light", true))
            #expect(withDefaults["theme"] as? String == "", "the caller's own choice stays theirs")
            for (body, field) in [
                (#"{"theme": "neon"}"#, "theme"), (#"{"defaultView": "nowhere"}"#, "defaultView"),
                (#"{"refreshInterval": -1}"#, "refreshInterval"), (#"{"columns": {"guests": ["<script>"]}}"#, "columns"),
            ] {
                let response = try await client.execute(
                    uri: "/api/settings/update", method: .post, headers: Self.admin, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect((try response.jsonObject()["details"] as? [String: Any])?["field"] as? String == field)
            }
        }
    }

    @Test func theConfigurationSummaryHoldsNoSecret() async throws {
        try await TestServer.with { _, client in
            let node =
                #"{"type":"pve","name":"lab","host":"https://192.0.2.10:8006","user":"monitor@pve","password":"hunter2-very-secret","verifySSL":false}"#
            let created = try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(node))
            #expect(created.status == .created)
            let hook = try await client.execute(
                uri: "/api/notifications/webhooks", method: .post, headers: Self.admin,
                body: .json(#"{"name":"ops","service":"slack","url":"https://203.0.113.5/services/T0/B0/hook-secret"}"#))
            #expect(hook.status == .created)
            let summary = try await client.execute(uri: "/api/config", method: .get, headers: Self.admin)
            #expect(summary.status == .ok)
            #expect(!summary.text.contains("hunter2") && !summary.text.contains("hook-secret"))
            let object = try summary.jsonObject()
            let nodes = try #require(object["nodes"] as? [String: Any])
            #expect((nodes["pveInstances"] as? [[String: Any]])?.first?["hasPassword"] as? Bool == true)
            #expect((object["system"] as? [String: Any])?["envOverrides"] != nil)
            #expect(object["alerts"] is [String: Any])
        }
    }

    @Test func temperatureMonitoringAndPrivateWebhookTargetsFollowTheSettings() async throws {
        try await TestServer.with { server, client in
            let reply = try await client.execute(
                uri: "/api/system/settings/update", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"temperatureMonitoringEnabled": false, "webhookAllowedPrivateCIDRs": "10.20.0.0/16, 192.168.5.0/24"}"#))
            #expect(reply.status == .ok)
            #expect(try await client.state()["temperatureMonitoringEnabled"] as? Bool == false)
            #expect(
                await server.dependencies.notificationConfigs.config.settings.allowedPrivateTargets == ["10.20.0.0/16", "192.168.5.0/24"])
        }
    }

    @Test func embeddingFollowsTheSettings() async throws {
        try await TestServer.with { _, client in
            let before = try await client.execute(uri: "/", method: .get)
            #expect(before.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(before.headers[.xFrameOptions] == "DENY")
            let updated = try await client.execute(
                uri: "/api/system/settings/update", method: .post, headers: Self.admin,
                body: ByteBuffer(string: #"{"allowEmbedding": true, "allowedEmbedOrigins": "https://wiki.example:8443"}"#))
            #expect(updated.status == .ok)
            let after = try await client.execute(uri: "/", method: .get)
            #expect(after.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'self' https://wiki.example:8443") == true)
            #expect(after.headers[.xFrameOptions] == nil)
        }
    }
}

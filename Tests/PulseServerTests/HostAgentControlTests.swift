import AgentProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Persistence
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `GET/PATCH /api/agents/host/{id}/config`, `POST /api/agents/host/link|unlink|uninstall` and
/// `GET /uninstall-host-agent.sh`.
@Suite("Host agent settings, links and uninstall")
struct HostAgentControlTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String = TestServer.adminToken, body: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(
            uri: path, method: method, headers: [.apiToken: token, .contentType: "application/json"], body: body.map { ByteBuffer(string: $0) })
    }

    static func errorField(_ response: TestResponse) -> String? {
        (response.field("details", as: [String: Any].self))?["field"] as? String
    }

    static func settings(_ response: TestResponse) throws -> [String: Any] {
        let config = try #require(try response.jsonObject()["config"] as? [String: Any])
        return config["settings"] as? [String: Any] ?? [:]
    }

    @Test func settingsAreValidatedStoredAndCarriedInTheReportReply() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestServer.with(dataDirectory: folder) { server, client in
            let agent = try await server.token(scopes: ["host-agent:report", "host-agent:config:read"])
            let first = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "web", machineID: "m-1"))
            #expect(first.status == .ok)
            #expect(try first.jsonObject()["config"] == nil, "no config while the server holds none (as Pulse)")

            // The agent reads its own host's settings; another agent's token does not see them.
            let own = try await Self.send(client, .get, "/api/agents/host/m-1/config", token: agent)
            #expect(own.status == .ok)
            #expect(own.field("hostId", as: String.self) == "m-1")
            #expect(try Self.settings(own).isEmpty)
            let stranger = try await server.token(scopes: ["host-agent:report", "host-agent:config:read"])
            #expect(try await Self.send(client, .get, "/api/agents/host/m-1/config", token: stranger).status == .notFound)
            let reader = try await server.token(scopes: ["monitoring:read"])
            #expect(try await Self.send(client, .get, "/api/agents/host/m-1/config", token: reader).status == .forbidden)
            #expect(try await Self.send(client, .get, "/api/agents/host/nobody/config").status == .notFound)

            // Changing them needs settings:write: not a viewer's scope, not an agent's, not host-agent:manage.
            let change = #"{"settings":{"interval":"5s"}}"#
            for scopes in [["monitoring:read"], ["host-agent:report", "host-agent:config:read", "host-agent:manage"]] {
                let token = try await server.token(scopes: scopes)
                let refused = try await Self.send(client, .patch, "/api/agents/host/m-1/config", token: token, body: change)
                #expect(refused.status == .forbidden, "\(scopes)")
            }

            // Bad values: 400 naming the field, nothing changed.
            let bad: [(String, String)] = [
                (#"{"settings":{"interval":"2s"}}"#, "settings.interval"),
                (#"{"settings":{"interval":"2h"}}"#, "settings.interval"),
                (#"{"settings":{"interval":"soon"}}"#, "settings.interval"),
                (#"{"settings":{"interval":1.5}}"#, "settings.interval"),
                (#"{"settings":{"enable_docker":"yes"}}"#, "settings.enable_docker"),
                (#"{"settings":{"log_level":"debug"}}"#, "settings.log_level"),
                (#"{"settings":{"disk_exclude":"/mnt/*"}}"#, "settings.disk_exclude"),
                (#"{"settings":{"disk_exclude":[""]}}"#, "settings.disk_exclude"),
                ("{\"settings\":{\"sensor_exclude\":[\"\(String(repeating: "x", count: 257))\"]}}", "settings.sensor_exclude"),
                ("{\"settings\":{\"sensor_include\":[\(Array(repeating: "\"a\"", count: 65).joined(separator: ","))]}}", "settings.sensor_include"),
                (#"{"settings":{"sensor_include":["a\u0007"]}}"#, "settings.sensor_include"),
                (#"{"commandsEnabled":"yes"}"#, "commandsEnabled"),
                (#"{"settings":[]}"#, "settings"),
            ]
            for (body, field) in bad {
                let refused = try await Self.send(client, .patch, "/api/agents/host/m-1/config", body: body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(Self.errorField(refused) == field, "\(body): \(refused.text)")
            }
            #expect(try Self.settings(try await Self.send(client, .get, "/api/agents/host/m-1/config")).isEmpty)
            #expect(try await Self.send(client, .patch, "/api/agents/host/nobody/config", body: change).status == .notFound)

            let changed = try await Self.send(
                client, .patch, "/api/agents/host/m-1/config",
                body:
                    #"{"commandsEnabled":true,"settings":{"interval":"1m","enable_docker":false,"disk_exclude":["/mnt/*"],"sensor_exclude":["acpitz-*/*"]}}"#
            )
            #expect(changed.status == .ok, "\(changed.text)")
            let held = try Self.settings(changed)
            #expect(held["interval"] as? String == "60s" && held["enable_docker"] as? Bool == false)
            #expect(held["disk_exclude"] as? [String] == ["/mnt/*"] && held["sensor_exclude"] as? [String] == ["acpitz-*/*"])

            // The next report's reply carries them, in Pulse's config object.
            let reply = try await client.post(
                "/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "web", machineID: "m-1", sequence: "1-2"))
            let config = try #require(try reply.jsonObject()["config"] as? [String: Any])
            #expect(config["commandsEnabled"] as? Bool == true)
            let sent = try #require(config["settings"] as? [String: Any])
            #expect(sent["interval"] as? String == "60s" && sent["disk_exclude"] as? [String] == ["/mnt/*"])
            #expect(config["uninstall"] == nil)

            // null clears one key (the agent's flag applies again); the others stay.
            let cleared = try await Self.send(
                client, .patch, "/api/agents/host/m-1/config", body: #"{"settings":{"interval":null},"commandsEnabled":null}"#)
            let rest = try Self.settings(cleared)
            #expect(rest["interval"] == nil && rest["enable_docker"] as? Bool == false)
            #expect((try cleared.jsonObject()["config"] as? [String: Any])?["commandsEnabled"] == nil)
            _ = try await Self.send(client, .patch, "/api/agents/host/m-1/config", body: #"{"settings":{"interval":45}}"#)
        }
        // Stored: a restarted server still holds them.
        try await TestServer.with(dataDirectory: folder) { _, client in
            let held = try Self.settings(try await Self.send(client, .get, "/api/agents/host/m-1/config"))
            #expect(held["interval"] as? String == "45s" && held["disk_exclude"] as? [String] == ["/mnt/*"])
        }
    }

    @Test func aRemovedHostsSettingsGoWithIt() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "web", machineID: "m-1"))
            _ = try await Self.send(client, .patch, "/api/agents/host/m-1/config", body: #"{"settings":{"interval":"1m"}}"#)
            #expect(try await Self.send(client, .delete, "/api/agents/host/m-1").status == .ok)
            #expect(try await Self.send(client, .post, "/api/agents/host/m-1/allow-reenroll").status == .ok)
            let fresh = try await server.token(scopes: ["host-agent:report"])
            let reply = try await client.post("/api/agents/host/report", token: fresh, body: AgentPayloads.host(hostname: "web", machineID: "m-1"))
            #expect(reply.status == .ok)
            #expect(try reply.jsonObject()["config"] == nil, "a re-enrolled host starts without the old settings")
            #expect(try HostAgentControlTable(database: server.dependencies.database).all().isEmpty, "and the stored row is gone")
        }
    }

    @Test func theStateShowsWhatTheAgentApplied() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            var report = try JSONSerialization.jsonObject(with: Data(AgentPayloads.host(hostname: "web", machineID: "m-1").utf8)) as! [String: Any]
            var agentInfo = report["agent"] as! [String: Any]
            agentInfo["appliedSettings"] = ["interval": "60s", "enable_host": true, "enable_docker": false, "disk_exclude": ["/mnt/*"]]
            report["agent"] = agentInfo
            #expect(try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.json(report)).status == .ok)
            let host = try #require(try await client.state().objects("hosts").first)
            let applied = try #require(host["appliedSettings"] as? [String: Any])
            #expect(applied["interval"] as? String == "60s" && applied["enable_docker"] as? Bool == false)
            #expect(applied["disk_exclude"] as? [String] == ["/mnt/*"])
        }
    }

    /// Nodes `lab-pve1` and `lab-pve2` of instance `lab`.
    static func twoNodes() -> PVEInventory {
        var inventory = PVEInventory(instanceID: "pve-lab", instanceName: "lab")
        inventory.nodes = ["pve1", "pve2"].map { name in
            var node = NodeView()
            (node.id, node.node, node.name, node.displayName, node.instance) = ("lab-\(name)", name, name, name, "lab")
            return node
        }
        inventory.respondingNodes = ["pve1", "pve2"]
        return inventory
    }

    @Test func aManualLinkOrUnlinkOverridesTheAutomaticOne() async throws {
        try await TestServer.with { server, client in
            await server.dependencies.state.applyPVE(Self.twoNodes())
            let agent = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "pve1", machineID: "m-1"))
            /// The host's node, then the host of each node.
            func links() async throws -> [String?] {
                let state = try await client.state()
                let nodes = state.objects("nodes")
                return [
                    state.objects("hosts").first?["linkedNodeId"] as? String,
                    nodes.first { $0["id"] as? String == "lab-pve1" }?["linkedHostAgentId"] as? String,
                    nodes.first { $0["id"] as? String == "lab-pve2" }?["linkedHostAgentId"] as? String,
                ]
            }
            #expect(try await links() == ["lab-pve1", "m-1", nil], "linked automatically by name")

            let linked = try await Self.send(client, .post, "/api/agents/host/link", body: #"{"hostId":"m-1","nodeId":"lab-pve2"}"#)
            #expect(linked.status == .ok && linked.field("nodeId", as: String.self) == "lab-pve2")
            #expect(try await links() == ["lab-pve2", nil, "m-1"], "the manual link wins over the name")

            #expect(try await Self.send(client, .post, "/api/agents/host/unlink", body: #"{"hostId":"m-1"}"#).status == .ok)
            #expect(try await links() == [nil, nil, nil], "unlinked by hand: not even the node of the same name")

            #expect(try await Self.send(client, .post, "/api/agents/host/link", body: #"{"hostId":"m-1","automatic":true}"#).status == .ok)
            #expect(try await links() == ["lab-pve1", "m-1", nil], "automatic again")

            let unknownNode = try await Self.send(client, .post, "/api/agents/host/link", body: #"{"hostId":"m-1","nodeId":"lab-pve9"}"#)
            #expect(unknownNode.status == .notFound && unknownNode.field("code", as: String.self) == "node_not_found")
            let unknownHost = try await Self.send(client, .post, "/api/agents/host/link", body: #"{"hostId":"nobody","nodeId":"lab-pve2"}"#)
            #expect(unknownHost.status == .notFound && unknownHost.field("code", as: String.self) == "host_not_found")
            let missing = try await Self.send(client, .post, "/api/agents/host/link", body: #"{"hostId":"m-1"}"#)
            #expect(missing.status == .badRequest && Self.errorField(missing) == "nodeId")
            #expect(Self.errorField(try await Self.send(client, .post, "/api/agents/host/unlink", body: "{}")) == "hostId")
            for scopes in [["monitoring:read"], ["host-agent:report", "host-agent:manage"]] {
                let token = try await server.token(scopes: scopes)
                let refused = try await Self.send(
                    client, .post, "/api/agents/host/link", token: token, body: #"{"hostId":"m-1","nodeId":"lab-pve2"}"#)
                #expect(refused.status == .forbidden, "\(scopes)")
                #expect(try await Self.send(client, .post, "/api/agents/host/unlink", token: token, body: #"{"hostId":"m-1"}"#).status == .forbidden)
            }
            #expect(try await links() == ["lab-pve1", "m-1", nil])
        }
    }

    @Test func anOnlineAgentIsAskedToUninstallAndItsOwnCallRemovesTheHost() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "web", machineID: "m-1"))
            let other = try await server.token(scopes: ["host-agent:report"])
            let forbidden = try await Self.send(client, .post, "/api/agents/host/uninstall", token: other, body: #"{"hostId":"m-1"}"#)
            #expect(forbidden.status == .forbidden, "another agent's token cannot remove this host")
            #expect(Self.errorField(try await Self.send(client, .post, "/api/agents/host/uninstall", body: "{}")) == "hostId")
            #expect(try await Self.send(client, .post, "/api/agents/host/uninstall", body: #"{"hostId":"nobody"}"#).status == .notFound)

            let requested = try await Self.send(client, .post, "/api/agents/host/uninstall", body: #"{"hostId":"m-1"}"#)
            #expect(requested.status == .ok && requested.field("action", as: String.self) == "uninstall_requested")
            #expect(try await client.state().objects("hosts").count == 1, "kept until the agent has removed itself")

            let reply = try await client.post(
                "/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "web", machineID: "m-1", sequence: "1-2"))
            #expect((try reply.jsonObject()["config"] as? [String: Any])?["uninstall"] as? Bool == true)

            // What the agent then does first: unregister with its own token.
            let removed = try await Self.send(client, .post, "/api/agents/host/uninstall", token: agent, body: #"{"hostId":"m-1"}"#)
            #expect(removed.status == .ok && removed.field("action", as: String.self) == "removed")
            #expect(try await client.state().objects("hosts").isEmpty)
        }
    }

    @Test func anOfflineHostIsRemovedAtOnce() async throws {
        try await TestServer.with { server, client in
            let agent = try await server.token(scopes: ["host-agent:report"])
            _ = try await client.post("/api/agents/host/report", token: agent, body: AgentPayloads.host(hostname: "web", machineID: "m-1"))
            server.time.advance(by: 3600)
            let removed = try await Self.send(client, .post, "/api/agents/host/uninstall", body: #"{"hostId":"m-1"}"#)
            #expect(removed.field("action", as: String.self) == "removed")
            #expect(try await client.state().objects("hosts").isEmpty)
        }
    }

    @Test func theUninstallerIsTheInstallerRunWithUninstallFirst() async throws {
        try await TestServer.with { _, client in
            let installer = try await client.execute(uri: "/install.sh", method: .get) { $0.text }
            try await client.execute(uri: "/uninstall-host-agent.sh", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/x-shellscript") == true)
                var lines = response.text.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count > 2 && lines[1] == #"set -- --uninstall "$@""#)
                lines.remove(at: 1)
                #expect(lines.joined(separator: "\n") == installer)
            }
        }
    }

    @Test func theDashboardServesTheAgentSettingsDialog() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/assets/host-agent.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("export function agentButton") && response.text.contains("/api/agents/host/unlink"))
            }
            try await client.execute(uri: "/assets/view-resources.js", method: .get) { response in
                #expect(response.text.contains("from './host-agent.js'"))
            }
        }
    }
}

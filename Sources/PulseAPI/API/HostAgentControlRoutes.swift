import AgentProtocol
import Foundation
import Hummingbird
import Logging
package import Persistence
package import PulseCore
import PulseSupport

/// What the server holds for each host agent, and the agent's removal:
///
/// - `GET /api/agents/host/{id}/config` (`host-agent:config:read`): the settings the agent is
///   told. A token that may not manage agents (`host-agent:manage` or `settings:write`) reads
///   only the host it reports for, as in Pulse.
/// - `PATCH /api/agents/host/{id}/config` (`settings:write`): Pulse's `commandsEnabled` and
///   `settings` (interval, modules, disk and sensor globs), validated; the agent gets them in
///   the reply to its next report and applies them without a restart. Pulse lets an agent's own
///   `host-agent:manage` token change its host; here no agent token can.
/// - `POST /api/agents/host/link` and `unlink` (`settings:write`): an administrator's link of a
///   host to a Proxmox node, over the automatic one; `{"hostId","automatic":true}` to `link`
///   gives the choice back to the automatic rules.
/// - `POST /api/agents/host/uninstall` (`host-agent:report`): from the host's own token (its
///   uninstaller, or the agent acting on a request) the host is removed at once; from a caller
///   with `settings:write` an online agent is asked, in its next reply, to remove itself, and an
///   offline one is removed at once.
///
/// A change is stored before the state shows it, so a failed write changes nothing.
package struct HostAgentControlRoutes {
    package let state: MonitoringState
    package let table: HostAgentControlTable

    package init(state: MonitoringState, table: HostAgentControlTable) {
        self.state = state
        self.table = table
    }

    static let bodyLimit = 16 * 1024

    package struct ConfigReply: Encodable, Sendable {
        let success: Bool
        let hostId: String
        let config: HostAgentConfig
    }

    package struct LinkRequest: Decodable, Sendable {
        let hostId: String?
        let nodeId: String?
        let automatic: Bool?
    }

    package struct LinkReply: Encodable, Sendable {
        let success: Bool
        let hostId: String
        let nodeId: String?
        let message: String
    }

    package struct HostRequest: Decodable, Sendable {
        let hostId: String?
    }

    package struct UninstallReply: Encodable, Sendable {
        let success: Bool
        let hostId: String
        /// `removed` or `uninstall_requested`.
        let action: String
        let message: String
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/agents/host/{id}/config", access: .scope(.hostAgentConfigRead)) { _, context in
            let id = try context.parameters.require("id")
            let control = try await readableControl(id: id, caller: context.authentication)
            return JSONResponse(ConfigReply(success: true, hostId: id, config: Self.shown(control)))
        }

        routes.on(.patch, "/api/agents/host/{id}/config", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let id = try context.parameters.require("id")
            let update = try await request.decodeJSON(HostAgentConfigUpdate.self, limit: Self.bodyLimit)
            guard let current = await state.hostControl(id: id) else { throw Self.hostNotFound(id) }
            let changed = try update.applied(to: current)
            try table.save(changed, hostID: id)
            await state.setHostControl(changed, id: id)
            context.logger.notice("host agent config changed", metadata: ["hostID": .string(id)])
            return JSONResponse(ConfigReply(success: true, hostId: id, config: Self.shown(changed)))
        }

        routes.post("/api/agents/host/link", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(LinkRequest.self, limit: Self.bodyLimit)
            let hostID = try Self.required(body.hostId, field: "hostId")
            guard var control = await state.hostControl(id: hostID) else { throw Self.hostNotFound(hostID) }
            let nodeID: String?
            if body.automatic == true {
                nodeID = nil
                control.link = nil
            } else {
                let node = try Self.required(body.nodeId, field: "nodeId")
                guard await state.hasNode(id: node) else {
                    throw APIError(.notFound, code: .init(rawValue: "node_not_found"), message: "No polled Proxmox node has the id \(node)")
                }
                nodeID = node
                control.link = .node(node)
            }
            try table.save(control, hostID: hostID)
            await state.setHostControl(control, id: hostID)
            context.logger.notice("host agent link set", metadata: ["hostID": .string(hostID), "nodeID": .string(nodeID ?? "automatic")])
            return JSONResponse(
                LinkReply(
                    success: true, hostId: hostID, nodeId: nodeID,
                    message: nodeID == nil ? "Host agent linked automatically again" : "Host agent linked to the Proxmox node"))
        }

        routes.post("/api/agents/host/unlink", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(HostRequest.self, limit: Self.bodyLimit)
            let hostID = try Self.required(body.hostId, field: "hostId")
            guard var control = await state.hostControl(id: hostID) else { throw Self.hostNotFound(hostID) }
            control.link = .unlinked
            try table.save(control, hostID: hostID)
            await state.setHostControl(control, id: hostID)
            context.logger.notice("host agent unlinked", metadata: ["hostID": .string(hostID)])
            return JSONResponse(LinkReply(success: true, hostId: hostID, nodeId: nil, message: "Host agent unlinked from its Proxmox node"))
        }

        routes.post("/api/agents/host/uninstall", access: .scope(.hostAgentReport)) { request, context in
            var request = request
            let body = try await request.decodeJSON(HostRequest.self, limit: Self.bodyLimit)
            let hostID = try Self.required(body.hostId, field: "hostId")
            guard let (record, status) = await state.lookupHost(id: hostID, hostname: nil), record.id == hostID else {
                throw Self.hostNotFound(hostID)
            }
            let caller = context.authentication
            let isOwner = caller.token.map { token in record.token?.id == token.id } ?? false
            guard isOwner || Self.grants(caller, .settingsWrite) else {
                throw APIError(.forbidden, code: .forbidden, message: "That host reports with a different token")
            }
            if !isOwner, status == .online {
                var control = await state.hostControl(id: hostID) ?? HostAgentControl()
                control.uninstallRequested = true
                try table.save(control, hostID: hostID)
                await state.setHostControl(control, id: hostID)
                context.logger.notice("host agent asked to uninstall", metadata: ["hostID": .string(hostID)])
                return JSONResponse(
                    UninstallReply(
                        success: true, hostId: hostID, action: "uninstall_requested",
                        message: "The agent is online: its next report's reply asks it to remove itself"))
            }
            try table.delete(hostID: hostID)
            _ = await state.removeHost(id: hostID)
            context.logger.notice("host agent unregistered", metadata: ["hostID": .string(hostID), "byAgent": .stringConvertible(isOwner)])
            return JSONResponse(UninstallReply(success: true, hostId: hostID, action: "removed", message: "Host unregistered"))
        }
    }

    /// Host `id`'s control, when `caller` may read it: a caller who may manage agents reads any
    /// host; an agent's token only its own (refused as not found, as Pulse does).
    private func readableControl(id: String, caller: Authentication) async throws -> HostAgentControl {
        guard let control = await state.hostControl(id: id) else { throw Self.hostNotFound(id) }
        if Self.grants(caller, .hostAgentManage) || Self.grants(caller, .settingsWrite) { return control }
        guard let token = caller.token, await state.hostOwner(id: id)?.id == token.id else { throw Self.hostNotFound(id) }
        return control
    }

    /// The config as `GET` shows it: `settings` always present.
    static func shown(_ control: HostAgentControl) -> HostAgentConfig {
        var config = control.agentConfig
        config.settings = control.settings
        return config
    }

    static func grants(_ caller: Authentication, _ scope: Scope) -> Bool {
        switch caller {
        case .user(let user): user.role.grants(scope)
        case .token(let record): record.scopes.grants(scope)
        case .anonymous, .rejectedToken, .rejectedProxySecret: false
        }
    }

    static func required(_ value: String?, field: String) throws -> String {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.utf8.count <= 512 else {
            throw APIError.badRequest("\(field) is required", field: field)
        }
        return value
    }

    static func hostNotFound(_ id: String) -> APIError {
        APIError(.notFound, code: .init(rawValue: "host_not_found"), message: "No host agent with id \(id) reports to this server")
    }
}

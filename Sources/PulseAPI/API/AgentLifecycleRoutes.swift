import AgentProtocol
import Foundation
import Hummingbird
import Logging
package import Persistence
package import PulseCore
import PulseSupport

/// Administration of agents: host lookup, removal (with the 24-hour re-enrol block), hiding,
/// display names, and Docker/Kubernetes uninstall flags.
package struct AgentLifecycleRoutes {
    package let state: MonitoringState
    package let tokens: TokenRegistry
    /// The settings held for hosts: a removed host's go with it.
    package let controls: HostAgentControlTable?

    package struct LookupReply: Encodable, Sendable {
        package struct Host: Encodable, Sendable {
            package let id: String
            package let hostname: String
            package let displayName: String
            package let status: String
            let connected: Bool
            package let lastSeen: Int64
            package let agentVersion: String?
        }

        package let success: Bool
        package let host: Host
    }

    package struct RemovalReply: Encodable, Sendable {
        package let success: Bool
        package let id: String
        /// `hidden`, `stop_queued` or `removed`.
        let action: String
        let commandId: String?
        let tokenRevoked: Bool
        package let message: String
    }

    package struct DisplayNameRequest: Decodable { let displayName: String? }
    package struct FlagRequest: Decodable { let pendingUninstall: Bool? }
    package struct SuccessReply: Encodable, Sendable {
        package let success: Bool
        package let id: String
    }

    /// The URL segment and scope of each managed kind.
    private static let managed: [(kind: AgentKind, base: String, scope: Scope)] = [
        (.host, "/api/agents/host", .hostAgentManage),
        (.docker, "/api/agents/docker/hosts", .dockerManage),
        (.kubernetes, "/api/agents/kubernetes/clusters", .kubernetesManage),
    ]

    package func register(on routes: ScopedRouter) {
        routes.get("/api/agents/host/lookup", access: .scope(.hostAgentReport)) { request, context in
            let query = request.uri.queryParameters
            guard let (record, status) = await state.lookupHost(id: query["id"].map(String.init), hostname: query["hostname"].map(String.init))
            else {
                throw APIError(.notFound, code: .init(rawValue: "host_not_found"), message: "No host matches that id or hostname")
            }
            if let caller = context.authentication.token, let owner = record.token, owner.id != caller.id,
                !caller.scopes.grants(.hostAgentManage)
            {
                throw APIError(.forbidden, code: .forbidden, message: "That host reports with a different token")
            }
            return JSONResponse(
                LookupReply(
                    success: true,
                    host: .init(
                        id: record.id, hostname: record.hostname, displayName: record.displayName, status: status.rawValue,
                        connected: status == .online, lastSeen: record.receivedAt.unixMillis, agentVersion: record.report.agent.version)))
        }

        routes.delete("/api/agents/host/{id}", access: .scope(.hostAgentManage)) { _, context in
            let id = try context.parameters.require("id")
            guard let record = await state.removeHost(id: id) else { throw APIError.notFound("No host with id \(id)") }
            try controls?.delete(hostID: id)
            let revoked = try await revokeIfUnused(record.token)
            context.logger.notice("host removed", metadata: ["hostID": .string(id), "tokenRevoked": .stringConvertible(revoked)])
            return JSONResponse(
                RemovalReply(
                    success: true, id: id, action: "removed", commandId: nil, tokenRevoked: revoked,
                    message: "Host removed; its agent is refused for 24 hours unless re-enrolment is allowed"))
        }

        routes.delete("/api/agents/docker/hosts/{id}", access: .scope(.dockerManage)) { request, context in
            let id = try context.parameters.require("id")
            let query = request.uri.queryParameters
            guard let outcome = await state.removeDockerHost(id: id, hide: query["hide"] == "true", force: query["force"] == "true")
            else { throw APIError.notFound("No Docker host with id \(id)") }
            return JSONResponse(try await removalReply(id: id, outcome: outcome, context: context))
        }

        routes.delete("/api/agents/kubernetes/clusters/{id}", access: .scope(.kubernetesManage)) { request, context in
            let id = try context.parameters.require("id")
            guard let outcome = await state.removeKubernetesCluster(id: id, hide: request.uri.queryParameters["hide"] == "true")
            else { throw APIError.notFound("No Kubernetes cluster with id \(id)") }
            return JSONResponse(try await removalReply(id: id, outcome: outcome, context: context))
        }

        for (kind, base, scope) in Self.managed {
            routes.post("\(base)/{id}/allow-reenroll", access: .scope(scope)) { _, context in
                let id = try context.parameters.require("id")
                guard await state.allowReenroll(kind, id: id) else { throw APIError.notFound("No removed \(kind.rawValue) with id \(id)") }
                return JSONResponse(SuccessReply(success: true, id: id))
            }
            routes.put("\(base)/{id}/display-name", access: .scope(scope)) { request, context in
                var request = request
                let id = try context.parameters.require("id")
                let body = try await request.decodeJSON(DisplayNameRequest.self, limit: 4096)
                if let name = body.displayName, name.count > 128 {
                    throw APIError.badRequest("displayName is longer than 128 characters", field: "displayName")
                }
                guard await state.setDisplayName(kind, id: id, to: body.displayName) else {
                    throw APIError.notFound("No \(kind.rawValue) with id \(id)")
                }
                return JSONResponse(SuccessReply(success: true, id: id))
            }
        }

        for (kind, base, scope) in Self.managed where kind != .host {
            routes.put("\(base)/{id}/unhide", access: .scope(scope)) { _, context in
                let id = try context.parameters.require("id")
                guard await state.setHidden(kind, id: id, false) else { throw APIError.notFound("No \(kind.rawValue) with id \(id)") }
                return JSONResponse(SuccessReply(success: true, id: id))
            }
            routes.put("\(base)/{id}/pending-uninstall", access: .scope(scope)) { request, context in
                var request = request
                let id = try context.parameters.require("id")
                let body = try await request.decodeJSON(FlagRequest.self, limit: 4096)
                guard await state.setPendingUninstall(kind, id: id, body.pendingUninstall ?? true) else {
                    throw APIError.notFound("No \(kind.rawValue) with id \(id)")
                }
                return JSONResponse(SuccessReply(success: true, id: id))
            }
        }
    }

    private func removalReply(id: String, outcome: AgentRemovalOutcome, context: PulseRequestContext) async throws -> RemovalReply {
        switch outcome {
        case .hidden:
            return RemovalReply(success: true, id: id, action: "hidden", commandId: nil, tokenRevoked: false, message: "Hidden from views")
        case .stopQueued(let commandID):
            context.logger.notice("stop command queued", metadata: ["id": .string(id), "commandID": .string(commandID)])
            return RemovalReply(
                success: true, id: id, action: "stop_queued", commandId: commandID, tokenRevoked: false,
                message: "The agent is online: it was asked to stop and will be removed when it acknowledges")
        case .removed(let token):
            let revoked = try await revokeIfUnused(token)
            context.logger.notice("agent removed", metadata: ["id": .string(id), "tokenRevoked": .stringConvertible(revoked)])
            return RemovalReply(
                success: true, id: id, action: "removed", commandId: nil, tokenRevoked: revoked,
                message: "Removed; its agent is refused for 24 hours unless re-enrolment is allowed")
        }
    }

    /// Revokes a removed agent's token when it only ever served reporting and nothing else uses
    /// it. Tokens with broader scopes (an admin's) are never revoked behind anyone's back.
    private func revokeIfUnused(_ token: ReportingToken?) async throws -> Bool {
        guard let token, token.isReportOnly, await !state.isTokenInUse(token.id) else { return false }
        return try await tokens.revoke(id: token.id)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState, tokens: TokenRegistry, controls: HostAgentControlTable? = nil) {
        self.state = state
        self.tokens = tokens
        self.controls = controls
    }
}

extension ReportingToken {
    /// True when every scope is an agent-side one.
    var isReportOnly: Bool {
        let agentScopes: Set<Scope> = [.hostAgentReport, .dockerReport, .kubernetesReport, .hostAgentConfigRead]
        return !scopes.isEmpty && scopes.allSatisfy(agentScopes.contains)
    }
}

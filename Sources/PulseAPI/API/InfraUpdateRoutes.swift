import AgentProtocol
import Foundation
import Hummingbird
import Logging
package import PulseCore
import PulseSupport

/// Container image updates as the Docker agents report them (Pulse v5's `/api/infra-updates`),
/// and the way to ask an agent to check again now:
///
/// - `GET /api/infra-updates` (`?hostId=`, `?resourceType=docker`), `GET …/summary`,
///   `GET …/host/{hostId}`, `GET …/{resourceId}` (`docker:<host>/<container>` or the container ID)
/// - `POST /api/infra-updates/check` (`{"hostId"}` or `{"resourceId"}`) and
///   `POST /api/agents/docker/hosts/{id}/check-updates`: queue a `check_updates` command, which
///   the agent takes with its next report and answers by asking every registry at once.
package struct InfraUpdateRoutes {
    package let state: MonitoringState

    struct UpdateList: Encodable, Sendable {
        let updates: [ContainerImageUpdate]
        let total: Int
    }

    struct HostUpdateList: Encodable, Sendable {
        let updates: [ContainerImageUpdate]
        let total: Int
        let hostId: String
    }

    struct Summary: Encodable, Sendable {
        let summaries: [String: ContainerImageUpdateSummary]
        let totalUpdates: Int
    }

    struct CheckRequest: Decodable {
        let hostId: String?
        let resourceId: String?
    }

    struct CheckQueued: Encodable, Sendable {
        let success: Bool
        let commandId: String
        let hostId: String
        let message: String
        let note: String?
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/infra-updates", access: .scope(.monitoringRead)) { request, _ in
            let query = request.uri.queryParameters
            let hostID = query["hostId"].flatMap { $0.isEmpty ? nil : String($0) }
            var updates = await state.snapshot().containerImageUpdates(hostID: hostID)
            if let type = query["resourceType"], !type.isEmpty, type.lowercased() != "docker" { updates = [] }
            return JSONResponse(UpdateList(updates: updates, total: updates.count))
        }
        routes.get("/api/infra-updates/summary", access: .scope(.monitoringRead)) { _, _ in
            let snapshot = await state.snapshot()
            return JSONResponse(
                Summary(summaries: snapshot.containerImageUpdateSummaries(), totalUpdates: snapshot.containerImageUpdates().count))
        }
        routes.get("/api/infra-updates/host/{hostId}", access: .scope(.monitoringRead)) { _, context in
            let hostID = try context.parameters.require("hostId")
            let updates = await state.snapshot().containerImageUpdates(hostID: hostID)
            return JSONResponse(HostUpdateList(updates: updates, total: updates.count, hostId: hostID))
        }
        routes.get("/api/infra-updates/{resourceId}", access: .scope(.monitoringRead)) { _, context in
            let raw = try context.parameters.require("resourceId")
            let resourceID = raw.removingPercentEncoding ?? raw
            guard let update = await find(resourceID) else { throw APIError.notFound("No update found for resource \(resourceID)") }
            return JSONResponse(update)
        }
        routes.post("/api/infra-updates/check", access: .scope(.monitoringWrite)) { request, _ in
            var request = request
            let body = try await request.decodeJSON(CheckRequest.self, limit: 8192)
            let hostID: String
            if let host = body.hostId, !host.isEmpty {
                hostID = host
            } else if let resourceID = body.resourceId, !resourceID.isEmpty {
                guard let update = await find(resourceID) else {
                    throw APIError.notFound("Resource \(resourceID) was not found or has no update status")
                }
                hostID = update.hostId
            } else {
                throw APIError.badRequest("Either hostId or resourceId is required", code: .init(rawValue: "missing_params"), field: "hostId")
            }
            let command = try await state.queueImageUpdateCheck(hostID: hostID)
            return JSONResponse(
                CheckQueued(success: true, commandId: command.id, hostId: hostID, message: "Update check command queued for host", note: nil))
        }
        routes.post("/api/agents/docker/hosts/{id}/check-updates", access: .scope(.dockerManage)) { _, context in
            let hostID = try context.parameters.require("id")
            let command = try await state.queueImageUpdateCheck(hostID: hostID)
            context.logger.info("image update check queued", metadata: ["hostID": .string(hostID), "commandID": .string(command.id)])
            return JSONResponse(
                CheckQueued(
                    success: true, commandId: command.id, hostId: hostID, message: "Check for updates command queued",
                    note: "The agent checks every image's registry when it takes the command with its next report"))
        }
    }

    /// The listed update of `resourceID`: `docker:<hostId>/<containerId>` or a container ID.
    private func find(_ resourceID: String) async -> ContainerImageUpdate? {
        await state.snapshot().containerImageUpdates().first { $0.resourceID == resourceID || $0.containerId == resourceID }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState) {
        self.state = state
    }
}

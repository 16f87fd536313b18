import AgentProtocol
import Foundation
import Hummingbird

/// The server's self-update (`/api/updates/*`): reading is `settings:read`; applying an update
/// or a rollback runs new code on this machine, so it takes full access (`*`).
package struct UpdateRoutes {
    package let updater: ServerUpdater
    package let audit: AuditLog
    /// How often the progress stream sends a comment when nothing changes, so a client that
    /// left is noticed and a proxy does not close a quiet stream.
    package var keepAlive: Duration = .seconds(25)

    package init(updater: ServerUpdater, audit: AuditLog) {
        self.updater = updater
        self.audit = audit
    }

    package struct ApplyRequest: Decodable { let downloadUrl: String? }
    package struct RollbackRequest: Decodable { let eventId: String? }

    /// `GET /api/updates/stream`: to a client accepting `text/event-stream` (EventSource does),
    /// `data: <status>` for the current status and then each change, until it leaves or the
    /// server shuts down; to any other client the current status once, as JSON, not a stream
    /// that never ends.
    package func register(on routes: ScopedRouter) {
        routes.get("/api/updates/check", access: .scope(.settingsRead)) { request, _ in
            JSONResponse(try await updater.check(channel: try Self.channel(request)))
        }

        routes.get("/api/updates/plan", access: .scope(.settingsRead)) { request, _ in
            guard let text = request.uri.queryParameters["version"].map(String.init), !text.isEmpty else {
                throw APIError.badRequest("version is required", field: "version")
            }
            guard let version = SemanticVersion(text) else {
                throw APIError.badRequest("version must be a semantic version such as v1.2.0", field: "version")
            }
            return JSONResponse(try await updater.plan(version: version, channel: try Self.channel(request)))
        }

        routes.post("/api/updates/apply", access: .scope(.wildcard)) { request, context in
            var request = request
            let body = try await request.decodeJSON(ApplyRequest.self, limit: 8 * 1024)
            guard let url = body.downloadUrl?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
                throw APIError.badRequest("downloadUrl is required", field: "downloadUrl")
            }
            let entry = try await updater.apply(downloadURL: url, initiatedVia: Self.initiatedVia(context))
            audit.record("update_apply", actor: context.authentication.actor, ip: context.clientIP, details: "\(entry.version) \(entry.id)")
            return JSONResponse(UpdateStarted(message: "Update to \(entry.version) started", eventId: entry.id))
        }

        routes.post("/api/updates/rollback", access: .scope(.wildcard)) { request, context in
            var request = request
            let body = try await request.decodeJSON(RollbackRequest.self, limit: 8 * 1024)
            guard let id = body.eventId?.trimmingCharacters(in: .whitespaces), !id.isEmpty else {
                throw APIError.badRequest("eventId is required", field: "eventId")
            }
            let entry = try await updater.rollback(eventID: id, initiatedVia: Self.initiatedVia(context))
            audit.record("update_rollback", actor: context.authentication.actor, ip: context.clientIP, details: "\(entry.version) \(id)")
            return JSONResponse(UpdateStarted(message: "Rollback to \(entry.version) started", eventId: entry.id))
        }

        routes.get("/api/updates/status", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(updater.progress.current)
        }

        // A client that does not ask for an event stream (`Accept: text/event-stream`, as
        // EventSource does) gets the current status once, as JSON, instead of a stream that
        // never ends.
        routes.get("/api/updates/stream", access: .scope(.settingsRead)) { request, _ in
            guard request.headers[.accept]?.contains("text/event-stream") == true else {
                return JSONBody.response(updater.progress.current)
            }
            let statuses = updater.progress.watch()
            return Response(
                status: .ok, headers: EventStream.headers,
                body: ResponseBody { [keepAlive] writer in
                    try await EventStream.forward(statuses, heartbeat: keepAlive, into: &writer) { EventStream.data($0) }
                    try await writer.finish(nil)
                })
        }

        routes.get("/api/updates/history", access: .scope(.settingsRead)) { request, _ in
            let query = request.uri.queryParameters
            let limit = try query["limit"].map { text -> Int in
                guard let value = Int(text), (1...100).contains(value) else {
                    throw APIError.badRequest("limit must be a whole number from 1 to 100", field: "limit")
                }
                return value
            }
            let status = try query["status"].map { text -> UpdateHistoryEntry.Status in
                guard let status = UpdateHistoryEntry.Status(rawValue: String(text)) else {
                    let names = UpdateHistoryEntry.Status.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.badRequest("status must be one of \(names)", field: "status")
                }
                return status
            }
            return JSONResponse(UpdateHistoryList(entries: await updater.history.list(limit: limit ?? 50, status: status)))
        }

        routes.get("/api/updates/history/entry", access: .scope(.settingsRead)) { request, _ in
            guard let id = request.uri.queryParameters["id"].map(String.init), !id.isEmpty else {
                throw APIError.badRequest("id is required", field: "id")
            }
            guard let entry = await updater.history.entry(id: id) else { throw APIError.notFound("No update history entry \(id)") }
            return JSONResponse(entry)
        }
    }

    /// `?channel=`, when given (empty counts as not given).
    private static func channel(_ request: Request) throws -> ReleaseFeed.Channel? {
        try request.uri.queryParameters["channel"].flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let channel = ReleaseFeed.Channel(rawValue: String(text)) else {
                throw APIError.badRequest("channel must be stable or rc", field: "channel")
            }
            return channel
        }
    }

    /// `ui` for a dashboard session, `api` for a token.
    private static func initiatedVia(_ context: PulseRequestContext) -> String {
        context.authentication.user == nil ? "api" : "ui"
    }
}

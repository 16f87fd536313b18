import AgentProtocol
package import Alerting
import Foundation
import Hummingbird
import Logging
package import PulseSupport

/// `/api/alerts/incidents`: an alert's incident timeline, a resource's incidents, and users'
/// notes on them (Pulse v5.1).
///
/// Stricter than Pulse: a bad `started_at` or `limit` is refused (Pulse ignores a bad limit), a
/// resource without incidents gives `[]` (Pulse: `null`), and a note on no incident is 404
/// (Pulse: 400).
package struct AlertIncidentRoutes {
    package let incidents: AlertIncidents
    package let time: any TimeSource

    /// Notes are text for people: at most this many characters, stored as given, never interpreted.
    static let noteLimit = 2000
    static let userLimit = 128
    static let idLimit = 500
    static let bodyLimit = 16 * 1024

    struct NoteRequest: Decodable, Sendable {
        var alertID: String?
        var incidentID: String?
        var note: String
        var user: String?

        enum CodingKeys: String, CodingKey {
            case alertID = "alert_id"
            case incidentID = "incident_id"
            case note, user
        }
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/alerts/incidents", access: .scope(.monitoringRead)) { request, _ in
            let parameters = request.uri.queryParameters
            if let alertID = try Self.identifier(parameters["alert_id"], named: "alert_id") {
                let startedText = parameters["started_at"] ?? parameters["start_time"]
                let startedAt = try startedText.flatMap { text -> Date? in
                    guard !text.isEmpty else { return nil }
                    guard let date = RFC3339.parse(String(text)) else {
                        throw APIError.badRequest("started_at must be an RFC 3339 time", field: "started_at")
                    }
                    return date
                }
                return JSONBody.response(await incidents.timeline(alertID: alertID, startedAt: startedAt))
            }
            if let resourceID = try Self.identifier(parameters["resource_id"], named: "resource_id") {
                let limit = try parameters["limit"].map { text -> Int in
                    guard let value = Int(text), value > 0 else { throw APIError.badRequest("limit must be a positive integer", field: "limit") }
                    return value
                }
                return JSONBody.response(await incidents.incidents(resourceID: resourceID, limit: limit))
            }
            throw APIError.badRequest("alert_id or resource_id is required", field: "alert_id")
        }

        routes.post("/api/alerts/incidents/note", access: .scope(.monitoringWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(NoteRequest.self, limit: Self.bodyLimit)
            let alertID = try Self.identifier(body.alertID.map { Substring($0) }, named: "alert_id")
            let incidentID = try Self.identifier(body.incidentID.map { Substring($0) }, named: "incident_id")
            guard alertID != nil || incidentID != nil else { throw APIError.badRequest("alert_id or incident_id is required", field: "alert_id") }
            let note = body.note.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !note.isEmpty, note.count <= Self.noteLimit else {
                throw APIError.badRequest("note must have 1 to \(Self.noteLimit) characters", field: "note")
            }
            let given = body.user?.trimmingCharacters(in: .whitespaces) ?? ""
            guard given.count <= Self.userLimit, !given.contains(where: \.isNewline) else {
                throw APIError.badRequest("user must be one line of at most \(Self.userLimit) characters", field: "user")
            }
            let user = given.isEmpty ? context.authentication.actor : given
            guard await incidents.addNote(note, user: user, alertID: alertID, incidentID: incidentID, at: time.now()) else {
                throw APIError.notFound("No incident for \(incidentID.map { "incident \($0)" } ?? "alert \(alertID ?? "")")")
            }
            context.logger.notice("incident note added", metadata: ["alertID": .string(alertID ?? ""), "incidentID": .string(incidentID ?? "")])
            return JSONResponse(Succeeded())
        }
    }

    /// A trimmed identifier of at most 500 characters on one line; nil when absent or empty.
    static func identifier(_ text: Substring?, named name: String) throws -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= idLimit, !trimmed.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) else {
            throw APIError.badRequest("\(name) must be one line of at most \(idLimit) characters", field: name)
        }
        return trimmed
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(incidents: AlertIncidents, time: any TimeSource) {
        self.incidents = incidents
        self.time = time
    }
}

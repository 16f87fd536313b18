import AgentProtocol
package import Alerting
import Foundation
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat
import PulseCore
package import PulseSupport

/// `/api/alerts/*`: the alert configuration, active alerts and history, and the actions on them.
///
/// Alert IDs may contain `/` and `:` (`docker-container-state-docker:host/ctr`), so the actions
/// on one alert are matched with a catch-all and the ID is everything before the action. Pulse
/// v5.1's clients send the ID in the body instead (`POST /api/alerts/acknowledge {"id"}`), which
/// no proxy can mangle; both work.
package struct AlertRoutes {
    package let engine: AlertEngine
    package let time: any TimeSource
    package let audit: AuditLog

    static let configurationLimit = 1024 * 1024
    static let actionLimit = 256 * 1024

    package struct ActionReply: Encodable, Sendable {
        package var success = true
        package var message: String
    }

    package struct BulkRequest: Decodable, Sendable {
        var alertIds: [String]
        package var user: String?
    }

    /// `{"id"}` as Pulse v5.1 sends it (`alertIdentifier` as later versions do).
    struct IdentifiedAlert: Decodable, Sendable {
        var id: String?
        var alertIdentifier: String?
    }

    struct ActivationReply: Encodable, Sendable {
        var success = true
        var message: String
        var state: String
        var activationTime: String?
    }

    package struct BulkReply: Encodable, Sendable {
        package struct Result: Encodable, Sendable {
            var alertId: String
            package var success: Bool
            package var error: String?
        }
        var results: [Result]
        var successCount: Int
    }

    package func register(on routes: ScopedRouter) {
        for path in ["/api/alerts", "/api/alerts/config"] {
            routes.get(path, access: .scope(.monitoringRead)) { _, _ in JSONResponse(await engine.configuration) }
            for method in [HTTPRequest.Method.post, .put] {
                routes.on(method, path, access: .scope(.settingsWrite)) { request, context in
                    var request = request
                    let body = try await request.collectJSONBody(limit: Self.configurationLimit)
                    let updated: AlertConfiguration
                    do {
                        updated = try await engine.configuration.merged(with: Data(buffer: body))
                    } catch let error as DecodingError {
                        throw APIError.badRequest("Malformed alert configuration: \(DecodingErrorDescription.describe(error))", code: .invalidJSON)
                    } catch {
                        throw APIError.badRequest("Malformed alert configuration: the body is not JSON", code: .invalidJSON)
                    }
                    try updated.validate()
                    await engine.update(updated, at: time.now())
                    audit.record("settings_change", actor: context.authentication.actor, ip: context.clientIP, details: "alert configuration")
                    return JSONResponse(updated)
                }
            }
        }

        routes.get("/api/alerts/active", access: .scope(.monitoringRead)) { _, _ in JSONResponse(await engine.active()) }

        routes.get("/api/alerts/history", access: .scope(.monitoringRead)) { request, _ in
            let limit = try request.uri.queryParameters["limit"].map { text -> Int in
                guard let value = Int(text), value >= 0 else { throw APIError.badRequest("limit must be a non-negative integer", field: "limit") }
                return value
            }
            return JSONResponse(await engine.history(limit: limit))
        }

        routes.delete("/api/alerts/history", access: .scope(.monitoringWrite)) { _, context in
            await engine.clearHistory(at: time.now())
            context.logger.notice("alert history cleared")
            return JSONResponse(ActionReply(message: "Alert history cleared"))
        }

        for action in Action.allCases {
            routes.post("/api/alerts/bulk/\(action.rawValue)", access: .scope(.monitoringWrite)) { request, context in
                var request = request
                let bulk = try await request.decodeJSON(BulkRequest.self, limit: Self.actionLimit)
                var results: [BulkReply.Result] = []
                for id in bulk.alertIds {
                    let done = await perform(action, on: id, user: bulk.user ?? context.authentication.actor)
                    results.append(.init(alertId: id, success: done, error: done ? nil : "alert not found"))
                }
                context.logger.notice("alerts \(action.pastTense) in bulk", metadata: ["count": "\(results.filter(\.success).count)"])
                return JSONResponse(BulkReply(results: results, successCount: results.filter(\.success).count))
            }
        }

        for action in Action.allCases {
            routes.post("/api/alerts/\(action.rawValue)", access: .scope(.monitoringWrite)) { request, context in
                var request = request
                let body = try await request.decodeJSON(IdentifiedAlert.self, limit: Self.actionLimit)
                let id = try Self.validatedID(body.id ?? body.alertIdentifier)
                guard await perform(action, on: id, user: context.authentication.actor) else {
                    throw APIError.notFound("No active alert with id \(id)")
                }
                context.logger.notice("alert \(action.pastTense)", metadata: ["alertID": .string(id)])
                return JSONResponse(Succeeded())
            }
        }

        routes.post("/api/alerts/activate", access: .scope(.settingsWrite)) { _, context in
            let (wasActive, configuration) = await engine.activate(at: time.now())
            if !wasActive {
                audit.record("alerts_activated", actor: context.authentication.actor, ip: context.clientIP)
                context.logger.notice("alert notifications activated")
            }
            return JSONResponse(
                ActivationReply(
                    message: wasActive ? "Alerts already activated" : "Alert notifications activated",
                    state: configuration.activationState, activationTime: configuration.activationTime))
        }

        routes.post("/api/alerts/**", access: .scope(.monitoringWrite)) { _, context in
            let parts = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }
            guard parts.count >= 2, let action = Action(rawValue: parts.last!) else {
                throw APIError.notFound("Unknown alert action; use /api/alerts/{id}/acknowledge, unacknowledge or clear")
            }
            let id = parts.dropLast().joined(separator: "/")
            guard await perform(action, on: id, user: context.authentication.actor) else {
                throw APIError.notFound("No active alert with id \(id)")
            }
            context.logger.notice("alert \(action.pastTense)", metadata: ["alertID": .string(id)])
            return JSONResponse(ActionReply(message: "Alert \(action.pastTense)"))
        }
    }

    package enum Action: String, CaseIterable {
        case acknowledge, unacknowledge, clear

        var pastTense: String {
            switch self {
            case .acknowledge: "acknowledged"
            case .unacknowledge: "unacknowledged"
            case .clear: "cleared"
            }
        }
    }

    /// An alert ID from a body: present, at most 500 characters, no path climbing, no control
    /// characters, no spaces around it.
    static func validatedID(_ text: String?) throws -> String {
        let id = text ?? ""
        guard !id.isEmpty else { throw DomainError.invalid("id is required", field: "id") }
        guard id.count <= 500, !id.contains("../"), !id.contains("/.."), id.trimmingCharacters(in: .whitespaces) == id,
            !id.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else { throw DomainError.invalid("id is not a valid alert ID", field: "id") }
        return id
    }

    private func perform(_ action: Action, on id: String, user: String?) async -> Bool {
        let now = time.now()
        switch action {
        case .acknowledge: return await engine.acknowledge(id, user: user, at: now)
        case .unacknowledge: return await engine.unacknowledge(id, at: now)
        case .clear: return await engine.clear(id, at: now)
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(engine: AlertEngine, time: any TimeSource, audit: AuditLog) {
        self.engine = engine
        self.time = time
        self.audit = audit
    }
}

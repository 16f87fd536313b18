import AgentProtocol
import Foundation
import Hummingbird
import NIOCore
package import Patrol
package import PulseSupport

/// Patrol (`/api/ai/patrol/*`): its status, findings and their lifecycle, runs, suppression rules
/// and a live stream of run events. Every route takes `ai:execute`, as in Pulse: reading findings
/// shows where the estate is weak, and acting on them can blind patrol. Nothing here is gated by
/// a license.
package struct PatrolRoutes {
    package let patrol: Patrol
    package let audit: AuditLog
    package let time: any TimeSource
    /// How often the stream sends a comment while nothing happens.
    package var keepAlive: Duration = .seconds(25)

    package init(patrol: Patrol, audit: AuditLog, time: any TimeSource) {
        self.patrol = patrol
        self.audit = audit
        self.time = time
    }

    struct FindingRequest: Decodable {
        let findingId: String?
        enum CodingKeys: String, CodingKey { case findingId = "finding_id" }
    }

    struct DismissRequest: Decodable {
        let findingId: String?
        let reason: String?
        let note: String?
        enum CodingKeys: String, CodingKey { case findingId = "finding_id", reason, note }
    }

    struct ResolveRequest: Decodable {
        let findingId: String?
        let resolutionNote: String?
        enum CodingKeys: String, CodingKey { case findingId = "finding_id", resolutionNote = "resolution_note" }
    }

    struct SnoozeRequest: Decodable {
        let findingId: String?
        let durationHours: Int?
        enum CodingKeys: String, CodingKey { case findingId = "finding_id", durationHours = "duration_hours" }
    }

    struct RuleRequest: Decodable {
        let resourceId: String?
        let resourceName: String?
        let category: String?
        let description: String?
        enum CodingKeys: String, CodingKey { case resourceId = "resource_id", resourceName = "resource_name", category, description }
    }

    /// The answer to an action on one finding.
    struct FindingAction: Encodable {
        let success = true
        let message: String
        let finding: Finding
    }

    struct Cleared: Encodable {
        let success = true
        let cleared: Int
    }

    private static let bodyLimit = 16 * 1024

    package func register(on routes: ScopedRouter) {
        let access = RouteAccess.scope(.aiExecute)
        routes.get("/api/ai/patrol/status", access: access) { _, _ in JSONResponse(await patrol.status()) }

        routes.get("/api/ai/patrol/findings", access: access) { request, _ in
            var findings = await patrol.book.active(at: time.now())
            if let resource = request.uri.queryParameters["resource_id"].map(String.init), !resource.isEmpty {
                findings = findings.filter { $0.resourceId == resource }
            }
            return JSONResponse(findings)
        }
        routes.delete("/api/ai/patrol/findings", access: access) { _, context in
            let count = try await patrol.book.clearFindings()
            audit.record("patrol_findings_clear", actor: context.authentication.actor, ip: context.clientIP, details: "\(count)")
            return JSONResponse(Cleared(cleared: count))
        }
        routes.get("/api/ai/patrol/history", access: access) { request, _ in
            JSONResponse(await patrol.book.history(limit: try Self.limit(request, maximum: PatrolBook.maximumFindings, default: 100)))
        }
        routes.get("/api/ai/patrol/runs", access: access) { request, _ in
            JSONResponse(await patrol.book.recentRuns(limit: try Self.limit(request, maximum: PatrolBook.maximumRuns, default: 20)))
        }
        routes.get("/api/ai/patrol/dismissed", access: access) { _, _ in JSONResponse(await patrol.book.setAside(at: time.now())) }
        routes.get("/api/ai/patrol/suppressions", access: access) { _, _ in JSONResponse(await patrol.book.suppressionRules()) }
        routes.get("/api/ai/patrol/stream", access: access) { request, _ in
            guard request.headers[.accept]?.contains("text/event-stream") == true else {
                return JSONBody.response(await patrol.status())
            }
            let events = patrol.events.watch()
            return Response(
                status: .ok, headers: EventStream.headers,
                body: ResponseBody { [keepAlive] writer in
                    // A comment first: the client knows it is subscribed before anything happens.
                    try await writer.write(ByteBuffer(string: ": patrol events\n\n"))
                    try await EventStream.forward(events, heartbeat: keepAlive, into: &writer) { EventStream.data($0) }
                    try await writer.finish(nil)
                })
        }

        routes.post("/api/ai/patrol/run", access: access) { _, context in
            let run = try await patrol.run(trigger: .manual)
            audit.record("patrol_run", actor: context.authentication.actor, ip: context.clientIP, details: run.id)
            return JSONResponse(run)
        }
        registerActions(on: routes, access: access)
        registerRules(on: routes, access: access)
    }

    private func registerActions(on routes: ScopedRouter, access: RouteAccess) {
        routes.post("/api/ai/patrol/acknowledge", access: access) { request, context in
            var request = request
            let body = try await request.decodeJSON(FindingRequest.self, limit: Self.bodyLimit)
            let finding = try await patrol.book.acknowledge(try Self.findingID(body.findingId), at: time.now())
            audit.record("patrol_acknowledge", actor: context.authentication.actor, ip: context.clientIP, details: finding.id)
            return JSONResponse(FindingAction(message: "Finding acknowledged", finding: finding))
        }
        routes.post("/api/ai/patrol/dismiss", access: access) { request, context in
            var request = request
            let body = try await request.decodeJSON(DismissRequest.self, limit: Self.bodyLimit)
            let id = try Self.findingID(body.findingId)
            guard let reason = body.reason, !reason.isEmpty else {
                throw APIError.badRequest("reason is required: \(PatrolBook.dismissReasons.joined(separator: ", "))", field: "reason")
            }
            let finding = try await patrol.book.dismiss(id, reason: reason, note: try Self.note(body.note, field: "note"), at: time.now())
            audit.record("patrol_dismiss", actor: context.authentication.actor, ip: context.clientIP, details: "\(finding.id) \(reason)")
            return JSONResponse(FindingAction(message: "Finding dismissed", finding: finding))
        }
        routes.post("/api/ai/patrol/resolve", access: access) { request, context in
            var request = request
            let body = try await request.decodeJSON(ResolveRequest.self, limit: Self.bodyLimit)
            let id = try Self.findingID(body.findingId)
            let finding = try await patrol.book.resolve(id, note: try Self.note(body.resolutionNote, field: "resolution_note"), at: time.now())
            audit.record("patrol_resolve", actor: context.authentication.actor, ip: context.clientIP, details: finding.id)
            return JSONResponse(FindingAction(message: "Finding resolved", finding: finding))
        }
        routes.post("/api/ai/patrol/snooze", access: access) { request, context in
            var request = request
            let body = try await request.decodeJSON(SnoozeRequest.self, limit: Self.bodyLimit)
            let id = try Self.findingID(body.findingId)
            guard let hours = body.durationHours else {
                throw APIError.badRequest("duration_hours is required", field: "duration_hours")
            }
            let finding = try await patrol.book.snooze(id, hours: hours, at: time.now())
            audit.record("patrol_snooze", actor: context.authentication.actor, ip: context.clientIP, details: "\(finding.id) \(hours)h")
            return JSONResponse(FindingAction(message: "Finding snoozed for \(hours) hours", finding: finding))
        }
        routes.post("/api/ai/patrol/suppress", access: access) { request, context in
            var request = request
            let body = try await request.decodeJSON(FindingRequest.self, limit: Self.bodyLimit)
            let rule = try await patrol.book.suppress(try Self.findingID(body.findingId), at: time.now())
            audit.record("patrol_suppress", actor: context.authentication.actor, ip: context.clientIP, details: rule.id)
            return JSONResponse(rule)
        }
    }

    private func registerRules(on routes: ScopedRouter, access: RouteAccess) {
        routes.post("/api/ai/patrol/suppressions", access: access) { request, context in
            var request = request
            let body = try await request.decodeJSON(RuleRequest.self, limit: Self.bodyLimit)
            guard let description = body.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty else {
                throw APIError.badRequest("description is required: why findings like these are not a problem", field: "description")
            }
            guard description.count <= 1000 else { throw APIError.badRequest("description is longer than 1,000 characters", field: "description") }
            let category = try body.category.flatMap { text -> FindingCategory? in
                guard !text.isEmpty else { return nil }
                guard let category = FindingCategory(rawValue: text) else {
                    let names = FindingCategory.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.badRequest("category must be one of \(names)", field: "category")
                }
                return category
            }
            let resourceId = body.resourceId?.trimmingCharacters(in: .whitespaces) ?? ""
            guard resourceId.count <= 512 else { throw APIError.badRequest("resource_id is longer than 512 characters", field: "resource_id") }
            let rule = try await patrol.book.addRule(
                resourceId: resourceId, resourceName: String((body.resourceName ?? resourceId).prefix(512)), category: category,
                description: description, at: time.now())
            audit.record("patrol_rule_add", actor: context.authentication.actor, ip: context.clientIP, details: rule.id)
            return JSONResponse(rule)
        }
        routes.delete("/api/ai/patrol/suppressions/{id}", access: access) { _, context in
            let id = try context.parameters.require("id")
            try await patrol.book.deleteRule(id)
            audit.record("patrol_rule_delete", actor: context.authentication.actor, ip: context.clientIP, details: id)
            return JSONBody.noContent
        }
    }

    private static func findingID(_ value: String?) throws -> String {
        guard let id = value?.trimmingCharacters(in: .whitespaces), !id.isEmpty else {
            throw APIError.badRequest("finding_id is required", field: "finding_id")
        }
        return id
    }

    private static func note(_ value: String?, field: String) throws -> String? {
        guard let value else { return nil }
        guard value.count <= 2000 else { throw APIError.badRequest("\(field) is longer than 2,000 characters", field: field) }
        return value
    }

    /// `?limit=` from 1 to `maximum`.
    private static func limit(_ request: Request, maximum: Int, default fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return fallback }
        guard let value = Int(text), (1...maximum).contains(value) else {
            throw APIError.badRequest("limit must be a whole number from 1 to \(maximum)", field: "limit")
        }
        return value
    }
}

import AgentProtocol
import Foundation
import Hummingbird
package import PulseCore
package import PulseSupport

/// `/api/resources`: every monitored resource in Pulse v5.1's common shape, built from the
/// current snapshot on each request.
///
/// Stricter than Pulse, which ignores values it does not know: an unknown `type`, `platform` or
/// `status`, or a flag other than `true`/`false`, is refused with 400 naming the parameter.
/// The filters combine (Pulse lets `infrastructure` or `workloads` replace the others).
/// IDs may contain `/` (`<dockerHost>/<container>`, `<cluster>/pod/<uid>`), so one resource is
/// matched with a catch-all.
package struct ResourceRoutes {
    package let state: MonitoringState
    package let time: any TimeSource

    struct ListReply: Encodable, Sendable {
        var resources: [Resource]
        var count: Int
        var stats: ResourceStats
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/resources", access: .scope(.monitoringRead)) { request, _ in
            let query = try Self.query(request.uri.queryParameters)
            let all = await state.snapshot().resources()
            let chosen = all.filter(query.matches)
            return JSONResponse(ListReply(resources: chosen, count: chosen.count, stats: ResourceStats(all, at: time.now())))
        }
        routes.get("/api/resources/stats", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(ResourceStats(await state.snapshot().resources(), at: time.now()))
        }
        routes.get("/api/resources/**", access: .scope(.monitoringRead)) { _, context in
            let id = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }.joined(separator: "/")
            guard let resource = await state.snapshot().resources().first(where: { $0.id == id }) else {
                throw APIError.notFound("No resource with id \(id)")
            }
            return JSONResponse(resource)
        }
    }

    static func query(_ parameters: Parameters) throws -> ResourceQuery {
        var query = ResourceQuery()
        query.types = try list(parameters["type"], named: "type", of: Resource.Kind.self)
        query.platforms = try list(parameters["platform"], named: "platform", of: Resource.Platform.self)
        query.statuses = try list(parameters["status"], named: "status", of: Resource.Status.self)
        if let parent = parameters["parent"].map(String.init), !parent.isEmpty { query.parent = parent }
        query.withAlerts = try Self.flag(parameters["alerts"], named: "alerts")
        query.infrastructure = try Self.flag(parameters["infrastructure"], named: "infrastructure")
        query.workloads = try Self.flag(parameters["workloads"], named: "workloads")
        return query
    }

    /// Comma-separated values, each one the enumeration knows; nil when absent or empty.
    private static func list<Value: RawRepresentable & CaseIterable & Hashable>(
        _ text: Substring?, named name: String, of _: Value.Type
    ) throws -> Set<Value>? where Value.RawValue == String {
        let parts = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        return try Set(
            parts.map { part in
                guard let value = Value(rawValue: part) else {
                    let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.badRequest("\(name) must be a comma-separated list of: \(known)", field: name)
                }
                return value
            })
    }

    /// An empty value counts as absent here (false).
    private static func flag(_ text: Substring?, named name: String) throws -> Bool {
        try QueryFlag.parse(text?.isEmpty == true ? nil : text, named: name, default: false)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState, time: any TimeSource) {
        self.state = state
        self.time = time
    }
}

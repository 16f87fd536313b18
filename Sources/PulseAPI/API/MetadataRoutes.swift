import AgentProtocol
import Foundation
import Hummingbird
package import Persistence
package import PulseCore
import PulseSupport

/// User metadata of guests, hosts, Docker containers and Docker hosts (custom URL, description,
/// tags, notes), one set of routes per kind:
///
/// - `GET /api/guests/metadata`, `GET/PUT/POST/DELETE /api/guests/metadata/{id}` and `…/{node}/{vmid}`
///   (registered as `…/{id}/{vmid}`)
/// - `GET /api/hosts/metadata`, `GET/PUT/POST/DELETE /api/hosts/metadata/{id}`
/// - `GET /api/docker/metadata`, `GET/PUT/POST/DELETE /api/docker/metadata/{id}`
/// - `GET /api/docker/hosts/metadata`, `GET/PUT/POST/DELETE /api/docker/hosts/metadata/{id}`
///
/// Reading needs `monitoring:read`, changing `monitoring:write`. A change is stored before the
/// state shows it, so a failed write changes nothing.
package struct MetadataRoutes {
    package let state: MonitoringState
    package let table: MetadataTable

    package init(state: MonitoringState, table: MetadataTable) {
        self.state = state
        self.table = table
    }

    static let bodyLimit = 64 * 1024

    package func register(on routes: ScopedRouter) {
        register(.guest, at: "/api/guests/metadata", on: routes)
        register(.host, at: "/api/hosts/metadata", on: routes)
        register(.docker, at: "/api/docker/metadata", on: routes)
        register(.dockerHost, at: "/api/docker/hosts/metadata", on: routes)
        // The seed's form for guests: node and VMID as two segments, stored as `node:vmid`. The
        // first segment is called `id` as in the one-segment form: the router allows one name per place.
        let byNode = "/api/guests/metadata/{id}/{vmid}"
        routes.get(byNode, access: .scope(.monitoringRead)) { _, context in
            try await read(.guest, id: try Self.guestID(context))
        }
        for method in [HTTPRequest.Method.put, .post] {
            routes.on(method, byNode, access: .scope(.monitoringWrite)) { request, context in
                try await write(.guest, id: try Self.guestID(context), request: request)
            }
        }
        routes.delete(byNode, access: .scope(.monitoringWrite)) { _, context in
            try await delete(.guest, id: try Self.guestID(context))
        }
    }

    private func register(_ kind: MetadataKind, at path: String, on routes: ScopedRouter) {
        routes.get(path, access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.metadata(of: kind).mapValues(MetadataView.init))
        }
        routes.get("\(path)/{id}", access: .scope(.monitoringRead)) { _, context in
            try await read(kind, id: try Self.pathID(context))
        }
        for method in [HTTPRequest.Method.put, .post] {
            routes.on(method, "\(path)/{id}", access: .scope(.monitoringWrite)) { request, context in
                try await write(kind, id: try Self.pathID(context), request: request)
            }
        }
        routes.delete("\(path)/{id}", access: .scope(.monitoringWrite)) { _, context in
            try await delete(kind, id: try Self.pathID(context))
        }
    }

    /// The record, or an empty one with the ID when nothing is stored (as Pulse answers).
    private func read(_ kind: MetadataKind, id: String) async throws -> JSONResponse<MetadataView> {
        let id = try MetadataUpdate.validatedID(id)
        return JSONResponse(MetadataView(await state.metadata(of: kind)[id] ?? ResourceMetadata(id: id)))
    }

    private func write(_ kind: MetadataKind, id: String, request: Request) async throws -> JSONResponse<MetadataView> {
        var request = request
        let update = try await request.decodeJSON(MetadataUpdate.self, limit: Self.bodyLimit)
        let record = await state.annotated(try update.record(id: id), kind: kind)
        if record.isEmpty {
            _ = try table.delete(kind: kind, id: record.id)
        } else {
            try table.save(record, kind: kind)
        }
        await state.setMetadata(record, kind: kind)
        return JSONResponse(MetadataView(record))
    }

    private func delete(_ kind: MetadataKind, id: String) async throws -> Response {
        let id = try MetadataUpdate.validatedID(id)
        _ = try table.delete(kind: kind, id: id)
        _ = await state.removeMetadata(kind: kind, id: id)
        return JSONBody.noContent
    }

    /// The `id` segment, percent-decoded (a guest ID such as `lab:pve1:100` arrives as
    /// `lab%3Apve1%3A100` from a client that encodes it).
    private static func pathID(_ context: PulseRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    /// `node:vmid` from the path; the VMID must be a number.
    private static func guestID(_ context: PulseRequestContext) throws -> String {
        let node = try Self.pathID(context)
        let vmid = try context.parameters.require("vmid")
        guard let number = Int(vmid), number >= 0 else { throw DomainError.invalid("vmid must be a number", field: "vmid") }
        return try MetadataUpdate.validatedID("\(node):\(number)")
    }
}

/// A metadata record as the API shows it: Pulse's fields, and `consoleUrl` beside `customUrl`
/// for clients written against the seed's example.
package struct MetadataView: Encodable, Sendable {
    let record: ResourceMetadata

    init(_ record: ResourceMetadata) { self.record = record }

    private enum CodingKeys: String, CodingKey { case id, customUrl, consoleUrl, description, tags, notes, lastKnownName, lastKnownType }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.customUrl, forKey: .customUrl)
        try container.encode(record.customUrl, forKey: .consoleUrl)
        try container.encode(record.description, forKey: .description)
        try container.encode(record.tags, forKey: .tags)
        try container.encode(record.notes, forKey: .notes)
        try container.encodeIfPresent(record.lastKnownName, forKey: .lastKnownName)
        try container.encodeIfPresent(record.lastKnownType, forKey: .lastKnownType)
    }
}

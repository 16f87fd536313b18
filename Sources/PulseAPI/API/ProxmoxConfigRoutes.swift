import AgentProtocol
import Foundation
import Hummingbird
import Logging
package import ProxmoxPolling
package import PulseCore
package import PulseSupport

/// `/api/config/nodes`: the Proxmox VE, PBS and PMG instances Pulse polls.
///
/// Secrets go in and never come out: responses say only whether a password or token is set.
package struct ProxmoxConfigRoutes {
    package let store: ProxmoxInstanceStore
    package let state: MonitoringState
    package let audit: AuditLog
    /// Stamps what a cluster refresh learns.
    package let time: any TimeSource

    /// An instance as the API shows it.
    package struct InstanceView: Encodable, Sendable {
        package var id: String
        package var type: String
        package var name: String
        package var host: String
        package var user: String
        package var tokenName: String?
        var hasPassword: Bool
        var hasToken: Bool
        package var fingerprint: String?
        package var verifySSL: Bool
        package var monitorVMs: Bool
        package var monitorContainers: Bool
        package var monitorStorage: Bool
        package var monitorBackups: Bool
        package var monitorPhysicalDisks: Bool
        /// `connected`, `error` or `pending` (not polled yet).
        package var status: String
        /// PVE: whether the last `refresh-cluster` found a cluster, its name and members.
        var isCluster: Bool?
        var clusterName: String?
        var clusterEndpoints: [PVECluster.Endpoint]?

        package init(_ target: ProxmoxTarget, healthy: Bool?) {
            let instance = target.instance
            id = instance.id
            type = instance.type.rawValue
            name = instance.name
            host = instance.host
            user = instance.user
            tokenName = instance.tokenName
            hasPassword = !(target.credentials.password ?? "").isEmpty
            hasToken = !(target.credentials.tokenValue ?? "").isEmpty
            fingerprint = instance.fingerprint
            verifySSL = instance.verifySSL
            monitorVMs = instance.monitorVMs
            monitorContainers = instance.monitorContainers
            monitorStorage = instance.monitorStorage
            monitorBackups = instance.monitorBackups
            monitorPhysicalDisks = instance.monitorPhysicalDisks
            status = healthy.map { $0 ? "connected" : "error" } ?? "pending"
            if instance.type == .pve {
                isCluster = instance.cluster != nil
                clusterName = instance.cluster?.name
                clusterEndpoints = instance.cluster?.endpoints
            }
        }
    }

    package struct TestResult: Encodable, Sendable {
        package var status = "success"
        package var message: String
        package var version: String?
        package var nodes: Int?
    }

    /// The reply of `refresh-cluster`, in Pulse's shape.
    struct ClusterRefreshReply: Encodable, Sendable {
        var status = "success"
        var clusterName: String
        var oldNodeCount: Int
        var newNodeCount: Int
        var nodesAdded: Int
        var clusterNodes: [PVECluster.Endpoint]
    }

    static let bodyLimit = 16 * 1024

    package func register(on routes: ScopedRouter) {
        routes.get("/api/config/nodes", access: .scope(.settingsRead)) { _, _ in
            var views: [InstanceView] = []
            for target in await store.all() {
                views.append(InstanceView(target, healthy: await state.proxmoxHealth(instanceID: target.instance.id)))
            }
            return JSONResponse(views)
        }

        routes.post("/api/config/nodes", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let input = try await request.decodeJSON(ProxmoxInstanceInput.self, limit: Self.bodyLimit)
            let target = try input.target(over: nil)
            try await requireFreeName(target.instance.name)
            let added = try await store.add(target.instance, credentials: target.credentials)
            context.logger.notice(
                "proxmox instance added", metadata: ["instanceID": .string(added.instance.id), "host": .string(added.instance.host)])
            audit.record("settings_change", actor: context.authentication.actor, ip: context.clientIP, details: "added \(added.instance.id)")
            return JSONResponse(InstanceView(added, healthy: nil), status: .created)
        }

        routes.put("/api/config/nodes/{id}", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let existing = try await existingTarget(context)
            let input = try await request.decodeJSON(ProxmoxInstanceInput.self, limit: Self.bodyLimit)
            let target = try input.target(over: existing)
            guard target.instance.type == existing.instance.type else {
                throw APIError.badRequest("type cannot change; add a new instance instead", field: "type")
            }
            try await requireFreeName(target.instance.name, except: existing.instance.id)
            try await store.update(target)
            context.logger.notice("proxmox instance updated", metadata: ["instanceID": .string(target.instance.id)])
            audit.record("settings_change", actor: context.authentication.actor, ip: context.clientIP, details: "updated \(target.instance.id)")
            return JSONResponse(InstanceView(target, healthy: await state.proxmoxHealth(instanceID: target.instance.id)))
        }

        routes.delete("/api/config/nodes/{id}", access: .scope(.settingsWrite)) { _, context in
            let existing = try await existingTarget(context)
            _ = try await store.remove(id: existing.instance.id)
            context.logger.notice("proxmox instance removed", metadata: ["instanceID": .string(existing.instance.id)])
            audit.record("settings_change", actor: context.authentication.actor, ip: context.clientIP, details: "removed \(existing.instance.id)")
            return JSONBody.noContent
        }

        // A new instance's settings, before saving (both names, as Pulse has both).
        for path in ["/api/config/nodes/test-connection", "/api/config/nodes/test-config"] {
            routes.post(path, access: .scope(.settingsWrite)) { request, _ in
                var request = request
                let input = try await request.decodeJSON(ProxmoxInstanceInput.self, limit: Self.bodyLimit)
                return JSONResponse(try await Self.test(try input.target(over: nil)))
            }
        }

        routes.post("/api/config/nodes/{id}/test", access: .scope(.settingsWrite)) { _, context in
            JSONResponse(try await Self.test(try await existingTarget(context)))
        }

        // Re-reads the instance's cluster membership, for nodes added to the cluster since.
        routes.post("/api/config/nodes/{id}/refresh-cluster", access: .scope(.settingsWrite)) { _, context in
            let target = try await existingTarget(context)
            guard target.instance.type == .pve else {
                throw APIError.badRequest("Only Proxmox VE instances can be cluster members", field: "id")
            }
            let port = URLComponents(string: target.instance.host)?.port ?? ProxmoxProduct.pve.defaultPort
            let detected: PVECluster?
            do {
                detected = try await PVECluster.detect(through: ProxmoxHTTPClient(target: target), port: port, at: time.now())
            } catch let error as ProxmoxError {
                throw APIError(.badRequest, code: .connectionFailed, message: "Connection failed: \(error.description)")
            }
            guard let cluster = detected, !cluster.endpoints.isEmpty else {
                throw APIError.badRequest("\(target.instance.name) is not part of a cluster", field: "id")
            }
            let oldCount = target.instance.cluster?.endpoints.count ?? 0
            guard try await store.recordCluster(cluster, of: target.instance.id) else {
                throw APIError.notFound("No Proxmox instance with id \(target.instance.id)")
            }
            context.logger.notice(
                "proxmox cluster refreshed",
                metadata: ["instanceID": .string(target.instance.id), "nodes": .stringConvertible(cluster.endpoints.count)])
            audit.record(
                "settings_change", actor: context.authentication.actor, ip: context.clientIP, details: "refreshed cluster of \(target.instance.id)")
            return JSONResponse(
                ClusterRefreshReply(
                    clusterName: cluster.name, oldNodeCount: oldCount, newNodeCount: cluster.endpoints.count,
                    nodesAdded: cluster.endpoints.count - oldCount, clusterNodes: cluster.endpoints))
        }
    }

    /// 409 when another instance has this name (names are `connectionHealth` keys and ID prefixes).
    private func requireFreeName(_ name: String, except id: String? = nil) async throws {
        guard await !store.nameIsTaken(name, except: id) else {
            throw APIError(.conflict, code: .invalidRequest, message: "An instance named \(name) exists already", details: ["field": "name"])
        }
    }

    private func existingTarget(_ context: PulseRequestContext) async throws -> ProxmoxTarget {
        let id = try context.parameters.require("id")
        guard let target = await store.target(id: id) else { throw APIError.notFound("No Proxmox instance with id \(id)") }
        return target
    }

    /// Connects with the given settings: `/version`, and for PVE `/nodes`. A failure is a 400
    /// with the reason, never with the credentials.
    package static func test(_ target: ProxmoxTarget) async throws -> TestResult {
        let client = ProxmoxHTTPClient(target: target)
        do {
            let version = try await client.get("/version", as: VersionReply.self)
            var result = TestResult(message: "Connected to \(target.instance.host)", version: version.version)
            if target.instance.type == .pve { result.nodes = try await client.get("/nodes", as: [PVEAPI.Node].self).count }
            return result
        } catch let error as ProxmoxError {
            throw APIError(.badRequest, code: .connectionFailed, message: "Connection failed: \(error.description)")
        }
    }

    private struct VersionReply: Decodable, Sendable { let version: String? }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(store: ProxmoxInstanceStore, state: MonitoringState, audit: AuditLog, time: any TimeSource = SystemTimeSource()) {
        self.store = store
        self.state = state
        self.audit = audit
        self.time = time
    }
}

import AgentProtocol
import Foundation
import Hummingbird
import Logging
package import ProxmoxPolling
import PulseCore
import PulseSupport

/// `/api/discover`: Proxmox servers found on the LAN (`NetworkDiscovery`).
///
/// - `GET` gives the newest results in Pulse's shape (`servers`, `errors`, `scanning`, `updated`),
///   each server with its version, certificate fingerprint and whether an instance is already
///   configured for it (same address and port, or the same pinned fingerprint), worked out at
///   read time so a server added since the scan shows as configured.
/// - `POST {"subnet": "192.168.1.0/24"}` scans now and answers with the results; 409 while another
///   scan runs. `subnet` follows the `discoverySubnet` setting's rules (`DiscoverySubnet`).
package struct DiscoveryRoutes {
    package let discovery: NetworkDiscovery
    package let store: ProxmoxInstanceStore

    package init(discovery: NetworkDiscovery, store: ProxmoxInstanceStore) {
        self.discovery = discovery
        self.store = store
    }

    /// One found server as the API shows it.
    struct ServerView: Encodable, Sendable {
        let host: String
        let port: Int
        let type: String
        let name: String
        let version: String?
        let fingerprint: String
        let configured: Bool

        enum CodingKeys: String, CodingKey { case host, port, type, name, version, fingerprint, configured }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(host, forKey: .host)
            try container.encode(port, forKey: .port)
            try container.encode(type, forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(version, forKey: .version)
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encode(configured, forKey: .configured)
        }
    }

    /// The reply of both methods.
    struct ReportView: Encodable, Sendable {
        let servers: [ServerView]
        let errors: [String]
        let scanning: Bool
        /// Unix seconds when the newest scan ended; 0 before the first.
        let updated: Int
        /// The networks it covered; null before the first.
        let subnet: String?

        enum CodingKeys: String, CodingKey { case servers, errors, scanning, updated, subnet }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(servers, forKey: .servers)
            try container.encode(errors, forKey: .errors)
            try container.encode(scanning, forKey: .scanning)
            try container.encode(updated, forKey: .updated)
            try container.encode(subnet, forKey: .subnet)
        }
    }

    static let bodyLimit = 4096

    package func register(on routes: ScopedRouter) {
        routes.get("/api/discover", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(await view(await discovery.report))
        }

        routes.post("/api/discover", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON([String: JSONValue].self, limit: Self.bodyLimit)
            guard let value = body["subnet"] else { throw APIError.badRequest("subnet is required, e.g. 192.168.1.0/24", field: "subnet") }
            guard case .string(let text) = value else { throw APIError.badRequest("subnet must be a string", field: "subnet") }
            let subnet = try DiscoverySubnet.parse(text, field: "subnet")
            guard let report = await discovery.scan(subnet) else {
                throw APIError(.conflict, code: .scanInProgress, message: "A discovery scan is running; ask again when it has finished")
            }
            context.logger.notice(
                "discovery scan asked for", metadata: ["subnet": .string(subnet.description), "servers": .stringConvertible(report.servers.count)])
            return JSONResponse(await view(report))
        }
    }

    private func view(_ report: NetworkDiscovery.Report) async -> ReportView {
        let instances = await store.all().map(\.instance)
        return ReportView(
            servers: report.servers.map { server in
                ServerView(
                    host: server.host, port: server.port, type: server.type.rawValue, name: server.name, version: server.version,
                    fingerprint: server.fingerprint, configured: Self.isConfigured(server, among: instances))
            },
            errors: report.errors, scanning: report.scanning, updated: report.updated.map { Int($0.timeIntervalSince1970) } ?? 0,
            subnet: report.subnet)
    }

    /// An instance polls this server: the same address and port (its type's default port when
    /// the host names none), or the same pinned certificate fingerprint.
    static func isConfigured(_ server: DiscoveredServer, among instances: [ProxmoxInstance]) -> Bool {
        instances.contains { instance in
            if let pinned = instance.fingerprint, pinned == server.fingerprint { return true }
            guard let address = try? HostAddress.parse(instance.host, field: "host") else { return false }
            return address.host == server.host && (address.port ?? instance.type.defaultPort) == server.port
        }
    }
}

extension APIError.Code {
    /// Another discovery scan is running.
    static let scanInProgress = APIError.Code(rawValue: "scan_in_progress")
}

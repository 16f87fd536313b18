package import Foundation
import PulseSupport

/// What a PVE instance's `/cluster/status` said about its cluster when last asked
/// (`POST /api/config/nodes/{id}/refresh-cluster`), kept with the instance.
package struct PVECluster: Codable, Sendable, Equatable {
    package var name: String
    package var endpoints: [Endpoint]
    package var refreshedAt: Date

    /// One member node, in Pulse's `ClusterEndpoint` JSON (Go field names).
    package struct Endpoint: Codable, Sendable, Equatable {
        package var nodeID: String
        package var nodeName: String
        /// `https://<ip>:<the instance's port>`.
        package var host: String
        package var ip: String
        package var online: Bool
        package var lastSeen: Date

        enum CodingKeys: String, CodingKey {
            case nodeID = "NodeID"
            case nodeName = "NodeName"
            case host = "Host"
            case ip = "IP"
            case online = "Online"
            case lastSeen = "LastSeen"
        }
    }

    /// Asks `client` for `/cluster/status`; nil when the instance is a single node.
    package static func detect(through client: any ProxmoxClient, port: Int, at now: Date) async throws -> PVECluster? {
        let entries = try await client.get("/cluster/status", as: [PVEAPI.ClusterStatusEntry].self)
        guard let cluster = entries.first(where: { $0.type == "cluster" }), let name = cluster.name, !name.isEmpty else { return nil }
        let endpoints = entries.filter { $0.type == "node" }.compactMap { entry -> Endpoint? in
            guard let node = entry.name, !node.isEmpty else { return nil }
            let ip = entry.ip ?? ""
            let host = ip.isEmpty ? "" : "https://\(ip.contains(":") ? "[\(ip)]" : ip):\(port)"
            let id = entry.nodeid?.value.map { String(Int(saturating: $0)) } ?? entry.id ?? node
            return Endpoint(nodeID: id, nodeName: node, host: host, ip: ip, online: entry.online.flag, lastSeen: now)
        }
        return PVECluster(name: name, endpoints: endpoints.sorted { $0.nodeName < $1.nodeName }, refreshedAt: now)
    }
}

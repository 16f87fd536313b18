import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseServer

/// `POST /api/config/nodes/{id}/refresh-cluster` against fakepve: the cluster's members are read
/// from `/cluster/status`, kept with the instance and shown in the instance list.
@Suite("Proxmox cluster refresh")
struct ProxmoxClusterRefreshTests {
    static let admin = HTTPFields.token(TestServer.adminToken)

    static func add(_ endpoint: PeerEndpoint, type: ProxmoxProduct, to server: TestServer) async throws -> String {
        let host = try ProxmoxInstanceInput.normalisedHost(endpoint.url, type: type)
        let instance = ProxmoxInstance(
            id: "", type: type, name: "lab-\(type.rawValue)", host: host, user: String(endpoint.tokenId.split(separator: "!")[0]),
            tokenName: endpoint.tokenId, fingerprint: endpoint.fingerprint, verifySSL: true)
        let credentials = ProxmoxCredentials(password: nil, tokenValue: endpoint.tokenSecret)
        return try await server.dependencies.proxmoxInstances.add(instance, credentials: credentials).instance.id
    }

    @Test func theClustersMembersAreReadAndKeptWithTheInstance() async throws {
        try await PVEPeer.with(nodes: 2, guests: 1) { peer in
            try await TestServer.with { server, client in
                let id = try await Self.add(peer.info, type: .pve, to: server)
                try await peer.command("offline pve2")
                let reply = try await client.execute(uri: "/api/config/nodes/\(id)/refresh-cluster", method: .post, headers: Self.admin) {
                    #expect($0.status == .ok)
                    return try $0.jsonObject()
                }
                #expect(reply["status"] as? String == "success")
                #expect(reply["clusterName"] as? String == "fakecluster")
                #expect(reply["oldNodeCount"] as? Int == 0 && reply["newNodeCount"] as? Int == 2 && reply["nodesAdded"] as? Int == 2)
                let nodes = reply.objects("clusterNodes")
                #expect(nodes.map { $0["NodeName"] as? String } == ["pve1", "pve2"])
                #expect(nodes.map { $0["Online"] as? Bool } == [true, false])
                let port = try #require(URLComponents(string: peer.info.url)?.port)
                #expect(nodes.first?["Host"] as? String == "https://192.0.2.11:\(port)")
                #expect(nodes.first?["NodeID"] as? String == "1")

                let again = try await client.execute(uri: "/api/config/nodes/\(id)/refresh-cluster", method: .post, headers: Self.admin) {
                    try $0.jsonObject()
                }
                #expect(again["oldNodeCount"] as? Int == 2 && again["nodesAdded"] as? Int == 0)
                let listed = try await client.execute(uri: "/api/config/nodes", method: .get, headers: Self.admin) {
                    try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]]
                }
                let view = try #require(listed?.first { $0["id"] as? String == id })
                #expect(view["isCluster"] as? Bool == true && view["clusterName"] as? String == "fakecluster")
                #expect((view["clusterEndpoints"] as? [[String: Any]])?.count == 2)
                let stored = await server.dependencies.proxmoxInstances.target(id: id)?.instance.cluster
                #expect(stored?.endpoints.count == 2, "stored")
                #expect(stored?.refreshedAt == server.time.now(), "stamped by the server's clock")
            }
        }
    }

    @Test func anUnknownIDIs404AndAPBSInstanceOrAnUnreachableOneIs400() async throws {
        try await TestServer.with { server, client in
            let missing = try await client.execute(uri: "/api/config/nodes/pve-99/refresh-cluster", method: .post, headers: Self.admin)
            #expect(missing.status == .notFound)
            let endpoint = PeerEndpoint(
                url: "https://127.0.0.1:9", fingerprint: String(repeating: "AB:", count: 31) + "AB", tokenId: "a@pbs!t", tokenSecret: "s")
            let pbs = try await Self.add(endpoint, type: .pbs, to: server)
            let refused = try await client.execute(uri: "/api/config/nodes/\(pbs)/refresh-cluster", method: .post, headers: Self.admin)
            #expect(refused.status == .badRequest)
            #expect((try refused.jsonObject()["details"] as? [String: Any])?["field"] as? String == "id")
            let pve = try await Self.add(endpoint, type: .pve, to: server)
            let unreachable = try await client.execute(uri: "/api/config/nodes/\(pve)/refresh-cluster", method: .post, headers: Self.admin)
            #expect(unreachable.status == .badRequest)
            #expect(try unreachable.jsonObject()["code"] as? String == "connection_failed")
            #expect(await server.dependencies.proxmoxInstances.target(id: pve)?.instance.cluster == nil)
            let reader = try await server.token(scopes: ["settings:read"])
            let forbidden = try await client.execute(uri: "/api/config/nodes/\(pve)/refresh-cluster", method: .post, headers: [.apiToken: reader])
            #expect(forbidden.status == .forbidden)
        }
    }
}

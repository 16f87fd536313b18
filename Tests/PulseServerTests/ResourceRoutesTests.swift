import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer

/// `/api/resources`: every resource of the state in Pulse v5.1's common shape, with parents,
/// statuses, metrics and alerts; filters; strict query values; one resource by an ID with slashes.
@Suite("Unified resources")
struct ResourceRoutesTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]

    /// A PVE instance `lab` with node `pve1`, VM 100 (running), LXC 101 (stopped) and storage `local`.
    static func pveInventory() -> PVEInventory {
        var inventory = PVEInventory(instanceID: "pve-lab", instanceName: "lab")
        var node = NodeView()
        node.id = "lab-pve1"
        node.node = "pve1"
        node.name = "pve1"
        node.displayName = "pve1"
        node.instance = "lab"
        node.cpu = 0.25
        node.memory = MemoryView(total: 1000, used: 400)
        node.uptime = 99
        node.isClusterMember = true
        node.clusterName = "homelab"
        inventory.nodes = [node]
        inventory.respondingNodes = ["pve1"]
        var vm = GuestView()
        (vm.id, vm.vmid, vm.name, vm.node, vm.instance, vm.status, vm.type, vm.cpu) = (
            "lab:pve1:100", 100, "db", "pve1", "lab", "running", "qemu", 0.5
        )
        vm.tags = "prod,db"
        var ct = GuestView()
        (ct.id, ct.vmid, ct.name, ct.node, ct.instance, ct.status, ct.type) = ("lab:pve1:101", 101, "proxy", "pve1", "lab", "stopped", "lxc")
        inventory.guests = [vm, ct]
        var storage = StorageView()
        (storage.id, storage.name, storage.node, storage.instance, storage.total, storage.used, storage.free, storage.usage) =
            ("lab-pve1-local", "local", "pve1", "lab", 1000, 250, 750, 25)
        (storage.enabled, storage.active) = (true, true)
        inventory.storage = [storage]
        return inventory
    }

    /// The state with a PVE instance, a host agent, a Docker host with two containers and a Kubernetes cluster.
    static func populated(_ server: TestServer, _ client: some TestClientProtocol) async throws {
        await server.dependencies.state.applyPVE(pveInventory())
        let host = try await server.token(scopes: ["host-agent:report"])
        #expect(
            try await client.post("/api/agents/host/report", token: host, body: AgentPayloads.host(hostname: "box", machineID: "m-1")).status == .ok)
        let docker = try await server.token(scopes: ["docker:report"])
        #expect(
            try await client.post("/api/agents/docker/report", token: docker, body: AgentPayloads.docker(hostname: "dock", agentID: "d-1")).status
                == .ok)
        let kube = try await server.token(scopes: ["kubernetes:report"])
        #expect(
            try await client.post("/api/agents/kubernetes/report", token: kube, body: AgentPayloads.kubernetes(clusterID: "k1", agentID: "k-1"))
                .status == .ok)
    }

    static func resources(_ client: some TestClientProtocol, _ query: String = "") async throws -> [[String: Any]] {
        try await client.execute(uri: "/api/resources\(query)", method: .get, headers: admin) { try $0.jsonObject() }.objects("resources")
    }

    @Test func everyResourceOfTheStateIsListedWithItsTypeParentAndMetrics() async throws {
        try await TestServer.with { server, client in
            try await Self.populated(server, client)
            let reply = try await client.execute(uri: "/api/resources", method: .get, headers: Self.admin) { try $0.jsonObject() }
            let list = reply.objects("resources")
            #expect(reply["count"] as? Int == list.count)
            let byID = Dictionary(list.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            let node = try #require(byID["lab-pve1"])
            #expect(node["type"] as? String == "node")
            #expect(node["platformType"] as? String == "proxmox-pve")
            #expect(node["status"] as? String == "online")
            #expect(node["clusterId"] as? String == "pve-cluster/homelab")
            #expect((node["cpu"] as? [String: Any])?["current"] as? Double == 25)
            #expect((node["memory"] as? [String: Any])?["total"] as? Int == 1000)
            #expect(node["schemaVersion"] as? Int == 1)
            let vm = try #require(byID["lab:pve1:100"])
            #expect(vm["type"] as? String == "vm")
            #expect(vm["parentId"] as? String == "lab-pve1", "a guest's parent is its node's ID")
            #expect(vm["status"] as? String == "running")
            #expect(vm["tags"] as? [String] == ["prod", "db"])
            #expect(byID["lab:pve1:101"]?["type"] as? String == "container")
            #expect(byID["lab:pve1:101"]?["status"] as? String == "stopped")
            #expect(byID["lab-pve1-local"]?["type"] as? String == "storage")
            #expect(byID["lab-pve1-local"]?["parentId"] as? String == "lab-pve1")
            let host = try #require(list.first { $0["type"] as? String == "host" })
            #expect(host["platformType"] as? String == "host-agent")
            #expect(host["sourceType"] as? String == "agent")
            #expect((host["identity"] as? [String: Any])?["machineId"] as? String == "m-1")
            #expect((host["disk"] as? [String: Any])?["total"] as? Int == 100_000)
            let dockerHost = try #require(list.first { $0["type"] as? String == "docker-host" })
            let hostID = try #require(dockerHost["id"] as? String)
            let containers = list.filter { $0["type"] as? String == "docker-container" }
            #expect(containers.count == 2)
            #expect(containers.allSatisfy { $0["parentId"] as? String == hostID && $0["status"] as? String == "running" })
            #expect(containers.contains { $0["id"] as? String == "\(hostID)/c0" && $0["name"] as? String == "web-0" })
            #expect(byID["k1"]?["type"] as? String == "k8s-cluster")
            #expect(byID["k1/node/n1"]?["parentId"] as? String == "k1")
            #expect(byID["k1/node/n1"]?["status"] as? String == "online")
            let stats = try #require(reply["stats"] as? [String: Any])
            #expect(stats["totalResources"] as? Int == list.count)
            #expect((stats["byType"] as? [String: Int])?["docker-container"] == 2)
            #expect((stats["byPlatform"] as? [String: Int])?["proxmox-pve"] == 4)
        }
    }

    @Test func filtersCombineAndStatsCountEverything() async throws {
        try await TestServer.with { server, client in
            try await Self.populated(server, client)
            let all = try await Self.resources(client)
            let guests = try await Self.resources(client, "?type=vm,container")
            #expect(Set(guests.compactMap { $0["id"] as? String }) == ["lab:pve1:100", "lab:pve1:101"])
            let running = try await Self.resources(client, "?type=vm,%20container&status=running")
            #expect(running.compactMap { $0["id"] as? String } == ["lab:pve1:100"])
            let children = try await Self.resources(client, "?parent=lab-pve1")
            #expect(Set(children.compactMap { $0["id"] as? String }) == ["lab:pve1:100", "lab:pve1:101", "lab-pve1-local"])
            let infrastructure = try await Self.resources(client, "?infrastructure=true")
            #expect(Set(infrastructure.compactMap { $0["type"] as? String }) == ["node", "host", "docker-host", "k8s-cluster", "k8s-node"])
            let workloads = try await Self.resources(client, "?workloads=true&platform=docker")
            #expect(workloads.count == 2 && workloads.allSatisfy { $0["type"] as? String == "docker-container" })
            #expect(try await Self.resources(client, "?alerts=true").isEmpty)
            let stats = try await client.execute(uri: "/api/resources/stats", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(stats["totalResources"] as? Int == all.count)
            #expect(stats["suppressedResources"] as? Int == 0)
            #expect((stats["byStatus"] as? [String: Int])?["stopped"] == 1)
        }
    }

    @Test func anActiveAlertIsShownOnItsResource() async throws {
        try await TestServer.with { server, client in
            try await Self.populated(server, client)
            let now = server.time.now()
            let alert = Alert(
                id: "lab:pve1:100-cpu", type: "cpu", level: .critical, resourceId: "lab:pve1:100", resourceName: "db", node: "pve1",
                instance: "lab", message: "VM cpu at 95%", value: 95, threshold: 80, startTime: now, lastSeen: now, acknowledged: false)
            await server.dependencies.state.setActiveAlerts([alert])
            let flagged = try await Self.resources(client, "?alerts=true")
            #expect(flagged.compactMap { $0["id"] as? String } == ["lab:pve1:100"])
            let alerts = flagged.first?["alerts"] as? [[String: Any]]
            #expect(alerts?.first?["id"] as? String == "lab:pve1:100-cpu")
            #expect(alerts?.first?["level"] as? String == "critical")
            let stats = try await client.execute(uri: "/api/resources/stats", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(stats["withAlerts"] as? Int == 1)
        }
    }

    @Test func oneResourceIsFoundByAnIDWithSlashesAndAnUnknownIDIs404() async throws {
        try await TestServer.with { server, client in
            try await Self.populated(server, client)
            let vm = try await client.execute(uri: "/api/resources/lab:pve1:100", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(vm["name"] as? String == "db")
            let node = try await client.execute(uri: "/api/resources/k1/node/n1", method: .get, headers: Self.admin)
            #expect(node.status == .ok)
            #expect(node.field("type", as: String.self) == "k8s-node")
            let encoded = try await client.execute(uri: "/api/resources/k1%2Fnode%2Fn1", method: .get, headers: Self.admin)
            #expect(encoded.field("id", as: String.self) == "k1/node/n1")
            let missing = try await client.execute(uri: "/api/resources/nothing-here", method: .get, headers: Self.admin)
            #expect(missing.status == .notFound)
            #expect(try missing.jsonObject()["code"] as? String == "not_found")
        }
    }

    @Test func anUnknownQueryValueIsRefusedNamingItsParameter() async throws {
        try await TestServer.with { _, client in
            let cases: [(query: String, field: String)] = [
                ("type=vm,spaceship", "type"), ("platform=vmware", "platform"), ("status=sleeping", "status"),
                ("alerts=yes", "alerts"), ("infrastructure=1", "infrastructure"), ("workloads=TRUE", "workloads"),
            ]
            for (query, field) in cases {
                let response = try await client.execute(uri: "/api/resources?\(query)", method: .get, headers: Self.admin)
                #expect(response.status == .badRequest, "\(query)")
                #expect((try response.jsonObject()["details"] as? [String: Any])?["field"] as? String == field, "\(query)")
            }
            #expect(try await client.execute(uri: "/api/resources?type=&alerts=false", method: .get, headers: Self.admin).status == .ok)
        }
    }

    @Test func aViewerMayReadResourcesAndAReportTokenMayNot() async throws {
        try await TestServer.with { server, client in
            let reader = try await server.token(scopes: ["monitoring:read"])
            #expect(try await client.execute(uri: "/api/resources", method: .get, headers: [.apiToken: reader]).status == .ok)
            let reporter = try await server.token(scopes: ["host-agent:report"])
            #expect(try await client.execute(uri: "/api/resources/stats", method: .get, headers: [.apiToken: reporter]).status == .forbidden)
            #expect(try await client.execute(uri: "/api/resources", method: .get).status == .unauthorized)
        }
    }
}

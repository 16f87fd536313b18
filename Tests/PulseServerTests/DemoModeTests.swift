import AgentProtocol
import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Alerting
@testable import DemoMode
@testable import Persistence
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Demo mode (`/api/system/mock-mode`, `PULSE_MOCK_*`): a generated estate fed through the PVE
/// poller and the agents' ingest, moving with the clock, removed whole when switched off.
@Suite("Demo mode: the generated estate, its readings and alerts, switching it on and off")
struct DemoModeTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]
    static let path = "/api/system/mock-mode"

    /// A small estate: 7 nodes (a cluster of 5 and one of 2), 2 VMs and 1 container per node, a
    /// quarter of the guests stopped, 2 Docker hosts of 3 containers, 2 hosts, 1 Kubernetes cluster.
    static let small = #"""
        {"enabled": true, "config": {"nodeCount": 7, "vmsPerNode": 2, "lxcsPerNode": 1, "stoppedPercent": 0.25,
        "dockerHostCount": 2, "dockerContainersPerHost": 3, "genericHostCount": 2, "k8sClusterCount": 1,
        "k8sNodesPerCluster": 2, "k8sPodsPerCluster": 5, "k8sDeploymentsPerCluster": 3}}
        """#

    static func switchOn(_ client: some TestClientProtocol, _ body: String = small) async throws -> [String: Any] {
        let reply = try await client.execute(uri: path, method: .post, headers: admin, body: .json(body))
        #expect(reply.status == .ok, "\(reply.text)")
        return try reply.jsonObject()
    }

    @Test func switchingOnFeedsTheConfiguredEstateThroughThePollerAndTheAgentIngest() async throws {
        try await TestServer.with { server, client in
            let reply = try await Self.switchOn(client)
            #expect(reply["enabled"] as? Bool == true)
            let config = try #require(reply["config"] as? [String: Any])
            #expect(config["NodeCount"] as? Int == 7 && config["VMsPerNode"] as? Int == 2 && config["LXCsPerNode"] as? Int == 1)
            #expect(config["StoppedPercent"] as? Double == 0.25 && config["DockerHostCount"] as? Int == 2 && config["GenericHostCount"] as? Int == 2)
            #expect(config["HighLoadNodes"] is NSNull, "Pulse writes an unset list as null")

            let state = try await client.state()
            let nodes = state.objects("nodes")
            #expect(nodes.count == 7)
            #expect(nodes.filter { $0["clusterName"] as? String == "demo-cluster-01" }.count == 5)
            #expect(nodes.filter { $0["clusterName"] as? String == "demo-cluster-02" }.count == 2)
            #expect(nodes.allSatisfy { $0["status"] as? String == "online" && ($0["pveVersion"] as? String)?.hasPrefix("pve-manager/") == true })
            let guests = state.objects("vms") + state.objects("containers")
            #expect(state.objects("vms").count == 14 && state.objects("containers").count == 7)
            #expect(guests.filter { $0["status"] as? String == "stopped" }.count == 5, "round(21 × 0.25) guests stopped")
            #expect(state.objects("storage").count == 21, "local, local-zfs and the shared backup storage on each node")
            #expect(state.objects("storage").contains { ($0["zfsPool"] as? [String: Any])?["health"] as? String == "ONLINE" })
            #expect(state.objects("physicalDisks").count >= 14)
            let backups = try #require(state["pveBackups"] as? [String: Any])
            #expect(backups.objects("storageBackups").count == 21, "last night's backup of every guest")
            #expect(backups.objects("backupTasks").count == 21)

            let hosts = state.objects("hosts")
            #expect(hosts.count == 2)
            for host in hosts {
                let sensors = try #require(host["sensors"] as? [String: Any])
                #expect((sensors["temperatureCelsius"] as? [String: Double])?["cpu_package"] != nil)
                #expect((sensors["smart"] as? [[String: Any]])?.isEmpty == false)
                #expect(host["tokenName"] as? String == "Demo mode")
            }
            let docker = state.objects("dockerHosts")
            #expect(docker.count == 2 && docker.allSatisfy { ($0["containers"] as? [Any])?.count == 3 })
            let clusters = state.objects("kubernetesClusters")
            #expect(clusters.count == 1)
            #expect((clusters.first?["nodes"] as? [Any])?.count == 2 && (clusters.first?["pods"] as? [Any])?.count == 5)
            #expect((clusters.first?["deployments"] as? [Any])?.count == 3)

            let read = try await client.execute(uri: Self.path, method: .get, headers: Self.admin)
            #expect(read.status == .ok && read.field("enabled", as: Bool.self) == true)
            #expect(await server.dependencies.demo.isEnabled)
        }
    }

    @Test func readingsMoveWhenTheClockAdvancesOneIntervalAndHoldStillWithoutRandomMetrics() async throws {
        try await TestServer.with { server, client in
            _ = try await Self.switchOn(client)
            let before = await server.dependencies.state.snapshot()
            server.time.advance(by: 2)
            await server.dependencies.demo.readIfDue()
            let after = await server.dependencies.state.snapshot()
            #expect(after.nodes.map(\.cpu) != before.nodes.map(\.cpu))
            let running = { (snapshot: StateSnapshot) in snapshot.vms.filter { $0.status == "running" } }
            #expect(running(after).map(\.cpu) != running(before).map(\.cpu))
            #expect(running(after).contains { $0.networkIn > 0 }, "rates from two polls' counters, as the poller derives them")
            #expect(after.hosts.map(\.cpuUsage) != before.hosts.map(\.cpuUsage))
            #expect(after.dockerHosts.flatMap(\.containers).map(\.cpuPercent) != before.dockerHosts.flatMap(\.containers).map(\.cpuPercent))
            #expect(after.hosts.map(\.uptimeSeconds) != before.hosts.map(\.uptimeSeconds))

            let still = try await client.execute(
                uri: Self.path, method: .post, headers: Self.admin, body: .json(#"{"config": {"randomMetrics": false}}"#))
            let stillConfig = try still.jsonObject()["config"] as? [String: Any]
            #expect(still.status == .ok && stillConfig?["RandomMetrics"] as? Bool == false)
            let first = await server.dependencies.state.snapshot()
            server.time.advance(by: 2)
            await server.dependencies.demo.readIfDue()
            let second = await server.dependencies.state.snapshot()
            #expect(second.nodes.map(\.cpu) == first.nodes.map(\.cpu) && second.hosts.map(\.cpuUsage) == first.hosts.map(\.cpuUsage))
        }
    }

    @Test func theSameMomentReadsTheSameInEveryRun() async throws {
        func reading() async throws -> [Double] {
            try await TestServer.with { server, client in
                _ = try await Self.switchOn(client)
                server.time.advance(by: 4)
                await server.dependencies.demo.readIfDue()
                let snapshot = await server.dependencies.state.snapshot()
                return snapshot.nodes.map(\.cpu) + snapshot.vms.map(\.cpu) + snapshot.hosts.compactMap(\.cpuUsage)
            }
        }
        #expect(try await reading() == reading())
    }

    @Test func theAlertEngineRaisesAFewAlertsOnTheEstate() async throws {
        try await TestServer.with { server, client in
            _ = try await Self.switchOn(client)
            await AlertEngineTests.evaluate(server)
            server.time.advance(by: 6)
            await server.dependencies.demo.readIfDue()
            await AlertEngineTests.evaluate(server)
            let snapshot = await server.dependencies.state.snapshot()
            let alerts = snapshot.activeAlerts
            func has(_ type: String, on resource: String) -> Bool { alerts.contains { $0.type == type && $0.resourceId == resource } }
            let firstGuest = try #require(snapshot.vms.first { $0.vmid == 100 && $0.instance == "demo-cluster-01" })
            let secondGuest = try #require(snapshot.vms.first { $0.vmid == 101 && $0.instance == "demo-cluster-01" })
            #expect(has("cpu", on: firstGuest.id), "\(alerts.map { "\($0.type) \($0.resourceId)" })")
            #expect(has("memory", on: secondGuest.id))
            #expect(has("memory", on: "demo-cluster-02-pve07"), "the last node's memory")
            #expect(has("usage", on: "demo-cluster-01-pve01-local-zfs"))
            #expect(has("temperature", on: "host:demo-host-001"))
            #expect(alerts.contains { $0.type == "smart" && $0.resourceId == "host:demo-host-002" })
            #expect(alerts.contains { $0.type == "docker-container-health" } && alerts.contains { $0.type == "docker-container-state" })
            #expect(alerts.count < 20, "a few, not one per resource")
        }
    }

    @Test func switchingOffRemovesExactlyTheDemoRecordsAndNothingIsEverWrittenToDisk() async throws {
        try await TestServer.with { server, client in
            let admin = TestServer.adminToken
            #expect(
                try await client.post("/api/agents/host/report", token: admin, body: AgentPayloads.host(hostname: "real", hostID: "real-1")).status
                    == .ok)
            #expect(
                try await client.post("/api/agents/docker/report", token: admin, body: AgentPayloads.docker(hostname: "dock", agentID: "real-d"))
                    .status == .ok)
            _ = try await Self.switchOn(client)
            let on = try await client.state()
            #expect(on.objects("hosts").count == 3 && on.objects("dockerHosts").count == 3 && on.objects("nodes").count == 7)
            // An administrator removes one demo Docker host meanwhile: its removal block goes with demo mode.
            let demoDocker = try #require(on.objects("dockerHosts").first { $0["tokenName"] as? String == "Demo mode" }?["id"] as? String)
            #expect(
                try await client.execute(uri: "/api/agents/docker/hosts/\(demoDocker)?force=true", method: .delete, headers: Self.admin).status == .ok
            )

            // (The flush service may have taken some changes already; whatever is left holds no demo record.)
            let changes = await server.dependencies.state.takePendingChanges()
            #expect(!changes.records.contains { $0.1?.token?.isDemoMode == true }, "demo records are never written")
            try server.dependencies.statePersistence.save(changes)
            let written = try server.dependencies.statePersistence.load()
            #expect(written.hosts.map(\.id) == ["real-1"] && written.dockerHosts.map(\.id) == ["real-d"])

            let off = try await client.execute(uri: Self.path, method: .post, headers: Self.admin, body: .json(#"{"enabled": false}"#))
            #expect(off.status == .ok && off.field("enabled", as: Bool.self) == false)
            let state = try await client.state()
            #expect(state.objects("hosts").map { $0["id"] as? String } == ["real-1"])
            #expect(state.objects("dockerHosts").map { $0["id"] as? String } == ["real-d"])
            for key in ["nodes", "vms", "containers", "storage", "physicalDisks", "kubernetesClusters", "removedDockerHosts"] {
                #expect(state.objects(key).isEmpty, "\(key)")
            }
            #expect((state["pveBackups"] as? [String: Any])?.objects("storageBackups").isEmpty == true)
            try server.dependencies.statePersistence.save(await server.dependencies.state.takePendingChanges())
            let saved = try server.dependencies.statePersistence.load()
            #expect(saved.hosts.map(\.id) == ["real-1"] && saved.dockerHosts.map(\.id) == ["real-d"] && saved.removed.isEmpty)

            // On again: the whole estate is back, the removed Docker host included.
            _ = try await Self.switchOn(client)
            #expect(try await client.state().objects("dockerHosts").count == 3)
        }
    }

    @Test func aRealAgentAndADemoAgentNeverTakeOverEachOthersRecord() async throws {
        try await TestServer.with { server, client in
            _ = try await Self.switchOn(client)
            let reporter = try await server.token(scopes: ["host-agent:report"])
            let takeover = try await client.post(
                "/api/agents/host/report", token: reporter, body: AgentPayloads.host(hostname: "nas-01", hostID: "demo-host-001"))
            #expect(takeover.status == .conflict && takeover.field("code", as: String.self) == "identity_conflict")
            let host = try #require(await server.dependencies.state.snapshot().hosts.first { $0.id == "demo-host-001" })
            #expect(host.tokenName == "Demo mode")
        }
    }

    @Test func badBodiesAreRefusedNamingTheFieldAndChangeNothing() async throws {
        try await TestServer.with { server, client in
            let cases: [(String, String?)] = [
                (#"{"config": {"nodeCount": 0}}"#, "config.nodeCount"),
                (#"{"config": {"nodeCount": 1001}}"#, "config.nodeCount"),
                (#"{"config": {"nodeCount": 1000, "vmsPerNode": 100}}"#, "config.nodeCount"),
                (#"{"config": {"vmsPerNode": -1}}"#, "config.vmsPerNode"),
                (#"{"config": {"lxcsPerNode": 101}}"#, "config.lxcsPerNode"),
                (#"{"config": {"stoppedPercent": 1.5}}"#, "config.stoppedPercent"),
                (#"{"config": {"dockerHostCount": 101}}"#, "config.dockerHostCount"),
                (#"{"config": {"dockerContainersPerHost": -3}}"#, "config.dockerContainersPerHost"),
                (#"{"config": {"genericHostCount": 1001}}"#, "config.genericHostCount"),
                (#"{"config": {"k8sPodsPerCluster": 1001}}"#, "config.k8sPodsPerCluster"),
                (#"{"config": {"highLoadNodes": [""]}}"#, "config.highLoadNodes"),
                (#"{"enabled": true, "config": {"nodeCount": -5}}"#, "config.nodeCount"),
                (#"{"enabled": "yes"}"#, nil), (#"{"config": {"nodeCount": 2.5}}"#, nil), (#"{"config": 7}"#, nil), ("not json", nil),
            ]
            for (body, field) in cases {
                server.time.advance(by: 61)  // past the configuration writes' rate limit (30 a minute)
                for method in [HTTPRequest.Method.post, .put] {
                    let reply = try await client.execute(uri: Self.path, method: method, headers: Self.admin, body: .json(body))
                    #expect(reply.status == .badRequest, "\(method) \(body)")
                    if let field {
                        #expect((try reply.jsonObject()["details"] as? [String: Any])?["field"] as? String == field, "\(body)")
                    } else {
                        #expect(reply.field("code", as: String.self) == "invalid_json", "\(body)")
                    }
                }
            }
            let large = #"{"config": {"highLoadNodes": ["# + String(repeating: #""pve01","#, count: 3_000) + #""pve02"]}}"#
            #expect(try await client.execute(uri: Self.path, method: .post, headers: Self.admin, body: .json(large)).status == .contentTooLarge)
            let status = try await client.execute(uri: Self.path, method: .get, headers: Self.admin)
            #expect(status.field("enabled", as: Bool.self) == false)
            #expect((try status.jsonObject()["config"] as? [String: Any])?["NodeCount"] as? Int == 7, "Pulse's default, unchanged")
            #expect(try await client.state().objects("nodes").isEmpty)
            #expect(await server.dependencies.demo.configuration == DemoConfiguration())
        }
    }

    @Test func readingNeedsSettingsReadAndSwitchingNeedsSettingsWrite() async throws {
        try await TestServer.with { server, client in
            let reader = try await server.token(scopes: ["settings:read"])
            let monitor = try await server.token(scopes: ["monitoring:read"])
            #expect(try await client.execute(uri: Self.path, method: .get, headers: [:]).status == .unauthorized)
            #expect(try await client.execute(uri: Self.path, method: .get, headers: [.apiToken: monitor]).status == .forbidden)
            #expect(try await client.execute(uri: Self.path, method: .get, headers: [.apiToken: reader]).status == .ok)
            for method in [HTTPRequest.Method.post, .put] {
                let refused = try await client.execute(
                    uri: Self.path, method: method, headers: [.apiToken: reader, .contentType: "application/json"], body: .json(#"{"enabled": true}"#)
                )
                #expect(refused.status == .forbidden)
            }
            #expect(await server.dependencies.demo.isEnabled == false)
            let put = try await client.execute(
                uri: Self.path, method: .put, headers: Self.admin,
                body: .json(#"{"enabled": true, "config": {"nodeCount": 1, "vmsPerNode": 1, "lxcsPerNode": 0}}"#))
            #expect(put.status == .ok && put.field("enabled", as: Bool.self) == true)
            #expect(try await client.state().objects("nodes").count == 1)
        }
    }

    @Test func theServiceTakesReadingsAsTheClockMoves() async throws {
        try await TestServer.with { server, client in
            _ = try await Self.switchOn(client)
            let before = await server.dependencies.state.snapshot().nodes.map(\.cpu)
            server.time.advance(by: 2)
            // No reading is asked for here: the service, running beside the test, takes it.
            let moved = try await AlertEngineTests.eventually(within: .seconds(30)) {
                await server.dependencies.state.snapshot().nodes.map(\.cpu) != before
            }
            #expect(moved)
        }
    }

    @Test func startingWithDemoModeOnFeedsTheEstateBeforeTheFirstRequest() async throws {
        try await TestServer.with(configure: { configuration in
            configuration.demoModeEnabled = true
            configuration.demoMode.nodes = 2
            configuration.demoMode.vmsPerNode = 1
            configuration.demoMode.lxcsPerNode = 1
        }) { _, client in
            let state = try await client.state()
            #expect(state.objects("nodes").count == 2 && state.objects("vms").count == 2 && state.objects("containers").count == 2)
        }
    }

    @Test func theVariablesAndFlagsSetTheEstateAndBadValuesStopTheStart() throws {
        func resolve(_ arguments: [String], _ environment: [String: String]) throws -> ServerConfiguration {
            try ServerOptions.parse(arguments).resolve(environment: environment)
        }
        let defaults = try resolve([], [:])
        #expect(!defaults.demoModeEnabled && defaults.demoMode == DemoConfiguration())
        #expect(defaults.demoMode.nodes == 7 && defaults.demoMode.vmsPerNode == 5 && defaults.demoMode.lxcsPerNode == 8)
        #expect(defaults.demoMode.dockerHosts == 3 && defaults.demoMode.dockerContainersPerHost == 12 && defaults.demoMode.genericHosts == 4)
        #expect(defaults.demoMode.stoppedFraction == 0.2)

        let environment = [
            "PULSE_MOCK_MODE": "true", "PULSE_MOCK_NODES": "500", "PULSE_MOCK_VMS_PER_NODE": "6", "PULSE_MOCK_LXCS_PER_NODE": "4",
            "PULSE_MOCK_DOCKER_HOSTS": "5", "PULSE_MOCK_DOCKER_CONTAINERS": "20", "PULSE_MOCK_GENERIC_HOSTS": "8", "PULSE_MOCK_STOPPED_PERCENT": "10",
            "PULSE_MOCK_K8S_CLUSTERS": "1", "PULSE_MOCK_RANDOM_METRICS": "false", "PULSE_MOCK_UPDATE_INTERVAL": "5s",
        ]
        let configured = try resolve([], environment)
        #expect(configured.demoModeEnabled)
        let demo = configured.demoMode
        #expect(demo.nodes == 500 && demo.vmsPerNode == 6 && demo.lxcsPerNode == 4 && demo.guests == 5_000)
        #expect(demo.dockerHosts == 5 && demo.dockerContainersPerHost == 20 && demo.genericHosts == 8 && demo.kubernetesClusters == 1)
        #expect(demo.stoppedFraction == 0.1 && !demo.randomMetrics && demo.updateInterval == 5)

        let flags = try resolve(["--no-mock-mode", "--mock-nodes", "3", "--mock-random-metrics", "true"], environment)
        #expect(!flags.demoModeEnabled && flags.demoMode.nodes == 3 && flags.demoMode.randomMetrics)

        for bad in [
            ["PULSE_MOCK_NODES": "0"], ["PULSE_MOCK_NODES": "lots"], ["PULSE_MOCK_VMS_PER_NODE": "101"], ["PULSE_MOCK_MODE": "maybe"],
            ["PULSE_MOCK_STOPPED_PERCENT": "150"], ["PULSE_MOCK_NODES": "1000", "PULSE_MOCK_VMS_PER_NODE": "20"],
            ["PULSE_MOCK_UPDATE_INTERVAL": "0.5"], ["PULSE_MOCK_RANDOM_METRICS": "sometimes"],
        ] {
            #expect(throws: ValidationError.self, "\(bad)") { try resolve([], bad) }
        }
        #expect(throws: ValidationError.self) { try resolve(["--mock-random-metrics", "often"], [:]) }
    }
}

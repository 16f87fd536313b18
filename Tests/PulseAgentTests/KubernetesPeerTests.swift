import AgentProtocol
import Foundation
import Glibc
import Testing

@testable import PulseAgent

/// The Kubernetes module against a real kube-apiserver (1.20, built from Debian's kubernetes
/// source by ../shared/peers/real-apiserver.sh, once, cached in .build/test-data/peers) with its
/// fixtures: a Ready and a NotReady node, a CrashLoopBackOff pod, a Pending pod, a Deployment at
/// 1/3; the test adds a StatefulSet and a DaemonSet below their desired counts. The agent reads
/// it with the read-only `monitor-token` through a kubeconfig, as a user would set it up.
@Suite("Kubernetes module against a real kube-apiserver", .serialized, .enabled(if: getuid() == 0, "the apiserver peer needs root"))
struct KubernetesPeerTests {
    static let peerFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/test-data/peers").path
    static let server = "https://127.0.0.1:16443"

    static func peer(_ action: String) async throws {
        try await PeerScript.run("real-apiserver.sh", action, peerDirectory: peerFolder, log: peerFolder + "/real-apiserver-\(action).log")
    }

    /// An API call as the cluster admin, for fixtures the peer script does not make.
    static func admin(_ method: String, _ path: String, _ body: String, contentType: String = "application/json") throws {
        let command =
            "curl -sfk -o /dev/null -H 'Authorization: Bearer admin-token' -H 'Content-Type: \(contentType)' -X \(method) '\(server)\(path)' -d '\(body)'"
        #expect(system(command) == 0, "\(method) \(path)")
    }

    static func withCluster(_ body: (URL) async throws -> Void) async throws {
        if !FileManager.default.isExecutableFile(atPath: peerFolder + "/bin/kube-apiserver") {
            try await peer("build")
        }
        try await peer("up")
        var failure: (any Error)?
        do {
            try admin(
                "POST", "/apis/apps/v1/namespaces/default/statefulsets",
                #"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":2,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"main","image":"busybox"}]}}}}"#
            )
            try admin(
                "PATCH", "/apis/apps/v1/namespaces/default/statefulsets/db/status",
                #"{"status":{"replicas":2,"readyReplicas":1,"currentReplicas":2,"updatedReplicas":2}}"#, contentType: "application/merge-patch+json")
            try admin(
                "POST", "/apis/apps/v1/namespaces/default/daemonsets",
                #"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"logs"},"spec":{"selector":{"matchLabels":{"app":"logs"}},"template":{"metadata":{"labels":{"app":"logs"}},"spec":{"containers":[{"name":"main","image":"busybox"}]}}}}"#
            )
            try admin(
                "PATCH", "/apis/apps/v1/namespaces/default/daemonsets/logs/status",
                #"{"status":{"desiredNumberScheduled":2,"currentNumberScheduled":2,"numberReady":1,"numberAvailable":1,"numberMisscheduled":0,"updatedNumberScheduled":2}}"#,
                contentType: "application/merge-patch+json")
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-kube-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let kubeconfig = work.appendingPathComponent("kubeconfig")
            try """
            apiVersion: v1
            kind: Config
            current-context: peer
            clusters:
            - name: peer
              cluster: {server: "\(server)", certificate-authority: "\(peerFolder)/realk8s/certs/apiserver.crt"}
            contexts:
            - name: peer
              context: {cluster: peer, user: monitor}
            users:
            - name: monitor
              user: {token: monitor-token}
            """.write(to: kubeconfig, atomically: true, encoding: .utf8)
            try await body(kubeconfig)
        } catch {
            failure = error
        }
        try? await peer("down")
        if let failure { throw failure }
    }

    @Test func clusterStateFromTheAPIServerAndIntoPulse() async throws {
        try await Self.withCluster { kubeconfig in
            // kubectl reads the YAML; with no HOME it must not leave a cache in the working directory.
            let leftover = FileManager.default.currentDirectoryPath + "/.kube"
            try? FileManager.default.removeItem(atPath: leftover)
            let json = try await Kubeconfig.load(path: kubeconfig.path, home: nil, timeout: .seconds(60))
            #expect(!FileManager.default.fileExists(atPath: leftover), "kubectl wrote its cache into the working directory")
            let connection = try KubeConnection.fromKubeconfig(
                json, path: kubeconfig.path, context: nil,
                readFile: { path in SystemRoot("/").read(path).map { Array($0.utf8) } })
            let report = try await KubernetesCollector(connection: connection, selection: .init(), intervalSeconds: 5, agentID: nil).collect()

            #expect(report.cluster.version == "v1.20.2")
            #expect(report.cluster.server == Self.server && report.cluster.context == "peer")
            let nodes = Dictionary(uniqueKeysWithValues: (report.nodes ?? []).map { ($0.name, $0) })
            #expect(nodes["node-a"]?.ready == true && nodes["node-b"]?.ready == false)
            #expect(nodes["node-a"]?.capacity == NodeResources(cpuCores: 2, memoryBytes: 8 << 30, pods: 110))
            #expect(nodes["node-a"]?.kubeletVersion == "v1.20.2")
            let pods = Dictionary(uniqueKeysWithValues: (report.pods ?? []).map { ($0.name, $0) })
            #expect(Set(pods.keys) == ["crashy", "pending-1"], "only problem pods; web-1 is healthy")
            #expect(pods["crashy"]?.reason == "CrashLoopBackOff" && pods["crashy"]?.restarts == 17 && pods["crashy"]?.nodeName == "node-b")
            #expect(pods["pending-1"]?.phase == "Pending")
            #expect(report.deployments?.map(\.name) == ["web"])
            #expect(report.deployments?.first?.desiredReplicas == 3 && report.deployments?.first?.availableReplicas == 1)
            #expect(report.statefulSets?.first.map { ($0.name, $0.desiredReplicas, $0.readyReplicas) } ?? ("", nil, nil) == ("db", 2, 1))
            #expect(report.daemonSets?.first.map { ($0.name, $0.desiredNumberScheduled, $0.numberReady) } ?? ("", nil, nil) == ("logs", 2, 1))

            // The same through the agent binary into the server's state.
            let server = try await LiveServer(token: String(repeating: "9a", count: 32))
            _ = try server.processes.start(
                FixtureRoot.agentBinary,
                [
                    "--url", server.url, "--token-file", server.tokenFile.path, "--interval", "1s", "--enable-kubernetes",
                    "--kubeconfig", kubeconfig.path, "--no-enable-host", "--no-enable-docker", "--health-addr", "off",
                    "--disable-auto-update", "--buffer-dir", server.work.appendingPathComponent("buffer").path,
                ],
                log: server.work.appendingPathComponent("agent.log"))
            #expect(try await EndToEndTests.eventually(20) { await server.objects("kubernetesClusters").count == 1 })
            let cluster = try #require(await server.objects("kubernetesClusters").first)
            #expect(cluster["status"] as? String == "online" && cluster["version"] as? String == "v1.20.2")
            #expect((cluster["nodes"] as? [[String: Any]])?.count == 2)
            #expect(Set(((cluster["pods"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }) == ["crashy", "pending-1"])
            #expect(((cluster["deployments"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String } == ["web"])
            #expect(((cluster["statefulSets"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String } == ["db"])
            #expect(((cluster["daemonSets"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String } == ["logs"])
        }
    }
}

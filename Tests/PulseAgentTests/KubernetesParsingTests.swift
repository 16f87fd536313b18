import AgentProtocol
import CurlHTTP
import Foundation
import Testing

@testable import PulseAgent

/// kubeconfig resolution and Pulse's selection of what a Kubernetes report carries.
@Suite struct KubernetesParsingTests {
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: lab
        clusters:
        - name: lab-cluster
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: \(Data("CA PEM".utf8).base64EncodedString())
        - name: other
          cluster:
            server: https://other:6443
            certificate-authority: certs/other-ca.pem
            insecure-skip-tls-verify: true
        contexts:
        - name: lab
          context: {cluster: lab-cluster, user: reader}
        - name: other
          context: {cluster: other, user: cert-user}
        users:
        - name: reader
          user: {token: abc.def}
        - name: cert-user
          user:
            client-certificate-data: \(Data("CERT PEM".utf8).base64EncodedString())
            client-key: /etc/keys/client.key
        """

    static func read(_ path: String) -> [UInt8]? {
        ["/home/me/.kube/certs/other-ca.pem": "OTHER CA", "/etc/keys/client.key": "KEY PEM"][path].map { Array($0.utf8) }
    }

    /// The YAML through the host's kubectl, as the agent reads it; parsed as if it lived at `path`.
    static func connection(_ yaml: String = kubeconfig, path: String = "/home/me/.kube/config", context: String? = nil) async throws -> KubeConnection
    {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try KubeConnection.fromKubeconfig(
            try await Kubeconfig.load(path: file.path, timeout: .seconds(60)), path: path, context: context, readFile: read)
    }

    @Test func currentContextWithATokenAndInlineCA() async throws {
        let connection = try await Self.connection()
        #expect(connection.server == "https://10.0.0.1:6443" && connection.context == "lab")
        #expect(connection.token == "abc.def")
        #expect(connection.tls.caCertificatePEM == Array("CA PEM".utf8))
        #expect(connection.tls.insecure == false && connection.tls.clientCertificatePEM == nil)
    }

    @Test func namedContextWithClientCertificateAndRelativeCAFile() async throws {
        let connection = try await Self.connection(context: "other")
        #expect(connection.server == "https://other:6443")
        #expect(connection.tls.caCertificatePEM == Array("OTHER CA".utf8), "relative to the kubeconfig's folder")
        #expect(connection.tls.clientCertificatePEM == Array("CERT PEM".utf8))
        #expect(connection.tls.clientKeyPEM == Array("KEY PEM".utf8))
        #expect(connection.tls.insecure && connection.token == nil)
    }

    @Test func problemsNameWhatIsWrong() async throws {
        await #expect(throws: KubeConnection.Invalid(description: "context nope is not in /k")) {
            try await Self.connection(path: "/k", context: "nope")
        }
        await #expect(throws: KubeConnection.Invalid.self) { try await Self.connection("clusters: [", path: "/k") }
        let exec = Self.kubeconfig.replacingOccurrences(
            of: "user: {token: abc.def}", with: "user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}}")
        await #expect(throws: KubeConnection.Invalid.self) { try await Self.connection(exec, path: "/k") }
    }

    @Test func aJSONKubeconfigIsReadWithoutKubectl() throws {
        let json =
            #"{"current-context":"c","clusters":[{"name":"k","cluster":{"server":"https://k:6443","insecure-skip-tls-verify":true}}],"contexts":[{"name":"c","context":{"cluster":"k","user":"u"}}],"users":[{"name":"u","user":{"token":"t0k"}}]}"#
        let connection = try KubeConnection.fromKubeconfig(Array(json.utf8), path: "/k", context: nil, readFile: Self.read)
        #expect(connection == KubeConnection(server: "https://k:6443", context: "c", tls: TLSSettings(insecure: true), token: "t0k"))
    }

    @Test func inClusterNeedsTheServiceHostAndAToken() {
        #expect(KubeConnection.inCluster(environment: [:]) == nil)
        #expect(KubeConnection.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1"], root: SystemRoot(FixtureRoot.debian12VM)) == nil)
    }

    static func pod(_ json: String) throws -> KubeAPI.Pod {
        try AgentJSONDecoder().decode(KubeAPI.Pod.self, from: Array(json.utf8))
    }

    @Test func problemPodsAreSelectedAndCapped() throws {
        let healthy = try Self.pod(
            #"{"metadata":{"name":"ok","namespace":"a"},"status":{"phase":"Running","containerStatuses":[{"name":"m","ready":true,"state":{"running":{}}}]}}"#
        )
        let crashing = try Self.pod(
            #"{"metadata":{"name":"crashy","namespace":"a","ownerReferences":[{"kind":"ReplicaSet","name":"web-1","controller":true}]},"status":{"phase":"Running","containerStatuses":[{"name":"m","ready":false,"restartCount":17,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}}}]}}"#
        )
        let pending = try Self.pod(#"{"metadata":{"name":"pending","namespace":"kube-system"},"status":{"phase":"Pending"}}"#)
        let done = try Self.pod(#"{"metadata":{"name":"job","namespace":"a"},"status":{"phase":"Succeeded"}}"#)

        let problems = KubeReportBuilder(selection: .init()).pods([healthy, crashing, pending, done])
        #expect(problems.map(\.name) == ["crashy", "pending"])
        let crash = try #require(problems.first)
        #expect(crash.reason == "CrashLoopBackOff" && crash.restarts == 17 && crash.ownerKind == "ReplicaSet")
        #expect(
            crash.containers?.first
                == PodContainer(name: "m", ready: false, restartCount: 17, state: "waiting", reason: "CrashLoopBackOff", message: "back-off"))

        #expect(KubeReportBuilder(selection: .init(includeAllPods: true)).pods([healthy, crashing, pending, done]).count == 3, "never Succeeded")
        #expect(KubeReportBuilder(selection: .init(includeAllPods: true, maxPods: 2)).pods([healthy, crashing, pending]).count == 2)
        #expect(KubeReportBuilder(selection: .init(excludeNamespaces: ["kube-*"])).pods([crashing, pending]).map(\.name) == ["crashy"])
        #expect(KubeReportBuilder(selection: .init(includeNamespaces: ["kube-system"])).pods([crashing, pending]).map(\.name) == ["pending"])
    }

    @Test func quantities() {
        #expect(Quantity.cores("2") == 2 && Quantity.cores("1500m") == 1)
        #expect(Quantity.bytes("8Gi") == 8 << 30 && Quantity.bytes("16384Ki") == 16 << 20 && Quantity.bytes("1G") == 1_000_000_000)
        #expect(Quantity.bytes("512") == 512)
    }
}

import Yams

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How to reach a Kubernetes API server: its URL, TLS trust and credentials, from a kubeconfig
/// (`--kubeconfig`, `--kube-context`) or from the pod's service account when running in-cluster.
struct KubeConnection: Sendable, Equatable {
    var server: String
    var context: String
    var tls = TLSSettings()
    /// A bearer token (kubeconfig `token` / `token-file`, or the service account's).
    var token: String?

    struct Invalid: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    static let serviceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The in-cluster connection, when `KUBERNETES_SERVICE_HOST` and the service account exist.
    static func inCluster(environment: [String: String], root: SystemRoot = .live) -> KubeConnection? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let token = root.read(serviceAccountFolder + "/token")?.trimmingASCIIWhitespace
        else { return nil }
        let port = environment["KUBERNETES_SERVICE_PORT"] ?? "443"
        let address = host.contains(":") ? "[\(host)]" : host
        var connection = KubeConnection(server: "https://\(address):\(port)", context: "in-cluster", token: token)
        connection.tls.caCertificateFile = serviceAccountFolder + "/ca.crt"
        return connection
    }

    /// The connection a kubeconfig describes for `context` (its `current-context` when nil).
    /// Relative file paths in it are taken from the kubeconfig's folder, as kubectl does.
    static func fromKubeconfig(_ text: String, path: String, context requested: String?, readFile: (String) -> [UInt8]?) throws -> KubeConnection {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw Invalid(description: "\(path) is not valid YAML: \(error)")
        }
        guard let config = document as? [String: Any] else { throw Invalid(description: "\(path) is not a kubeconfig") }
        func named(_ list: String, _ name: String, _ key: String) -> [String: Any]? {
            (config[list] as? [[String: Any]])?.first { $0["name"] as? String == name }?[key] as? [String: Any]
        }
        guard let contextName = requested ?? config["current-context"] as? String, !contextName.isEmpty else {
            throw Invalid(description: "\(path) names no current-context; pass --kube-context")
        }
        guard let context = named("contexts", contextName, "context") else { throw Invalid(description: "context \(contextName) is not in \(path)") }
        guard let clusterName = context["cluster"] as? String, let cluster = named("clusters", clusterName, "cluster"),
            let server = cluster["server"] as? String
        else { throw Invalid(description: "context \(contextName) names no cluster with a server in \(path)") }
        let user = (context["user"] as? String).flatMap { named("users", $0, "user") } ?? [:]
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")

        /// Inline base64 `<key>-data` wins over the file `<key>`.
        func pem(_ map: [String: Any], _ key: String) throws -> [UInt8]? {
            if let data = map[key + "-data"] as? String {
                guard let decoded = Data(base64Encoded: data) else { throw Invalid(description: "\(key)-data in \(path) is not base64") }
                return Array(decoded)
            }
            guard let file = map[key] as? String else { return nil }
            let resolved = file.hasPrefix("/") ? file : folder + "/" + file
            guard let bytes = readFile(resolved) else { throw Invalid(description: "cannot read \(resolved) (\(key) in \(path))") }
            return bytes
        }

        var connection = KubeConnection(server: server, context: contextName)
        connection.tls.insecure = cluster["insecure-skip-tls-verify"] as? Bool ?? false
        connection.tls.caCertificatePEM = try pem(cluster, "certificate-authority")
        connection.tls.clientCertificatePEM = try pem(user, "client-certificate")
        connection.tls.clientKeyPEM = try pem(user, "client-key")
        if let token = user["token"] as? String {
            connection.token = token
        } else if let file = user["tokenFile"] as? String ?? user["token-file"] as? String {
            connection.token = readFile(file).map { String(decoding: $0, as: UTF8.self).trimmingASCIIWhitespace }
        }
        if user["exec"] != nil || user["auth-provider"] != nil, connection.token == nil, connection.tls.clientCertificatePEM == nil {
            throw Invalid(description: "user of context \(contextName) authenticates with an exec plugin or auth provider; give the agent a token or client certificate")
        }
        return connection
    }
}

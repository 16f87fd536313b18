import AgentProtocol
import CurlHTTP

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

    /// The connection a kubeconfig (as JSON; see `Kubeconfig.load`) describes for `context`
    /// (its `current-context` when nil). Relative file paths are taken from the kubeconfig's
    /// folder, as kubectl does.
    static func fromKubeconfig(_ json: [UInt8], path: String, context requested: String?, readFile: (String) -> [UInt8]?) throws -> KubeConnection {
        let config: Kubeconfig
        do {
            config = try AgentJSONDecoder().decode(Kubeconfig.self, from: json)
        } catch {
            throw Invalid(description: "\(path) is not a kubeconfig: \(error)")
        }
        guard let contextName = requested ?? config.currentContext, !contextName.isEmpty else {
            throw Invalid(description: "\(path) names no current-context; pass --kube-context")
        }
        guard let context = config.contexts?.first(where: { $0.name == contextName })?.context else {
            throw Invalid(description: "context \(contextName) is not in \(path)")
        }
        guard let cluster = config.clusters?.first(where: { $0.name == context.cluster })?.cluster, let server = cluster.server else {
            throw Invalid(description: "context \(contextName) names no cluster with a server in \(path)")
        }
        let user = config.users?.first { $0.name == context.user }?.user
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")

        /// Inline base64 data wins over the file.
        func pem(data: String?, file: String?, _ key: String) throws -> [UInt8]? {
            if let data {
                guard let decoded = Base64.decode(data) else { throw Invalid(description: "\(key)-data in \(path) is not base64") }
                return Array(decoded)
            }
            guard let file else { return nil }
            let resolved = file.hasPrefix("/") ? file : folder + "/" + file
            guard let bytes = readFile(resolved) else { throw Invalid(description: "cannot read \(resolved) (\(key) in \(path))") }
            return bytes
        }

        var connection = KubeConnection(server: server, context: contextName)
        connection.tls.insecure = cluster.insecureSkipTLSVerify ?? false
        connection.tls.caCertificatePEM = try pem(data: cluster.certificateAuthorityData, file: cluster.certificateAuthority, "certificate-authority")
        connection.tls.clientCertificatePEM = try pem(data: user?.clientCertificateData, file: user?.clientCertificate, "client-certificate")
        connection.tls.clientKeyPEM = try pem(data: user?.clientKeyData, file: user?.clientKey, "client-key")
        if let token = user?.token {
            connection.token = token
        } else if let file = user?.tokenFile {
            connection.token = readFile(file).map { String(decoding: $0, as: UTF8.self).trimmingASCIIWhitespace }
        }
        if user?.exec != nil || user?.authProvider != nil, connection.token == nil, connection.tls.clientCertificatePEM == nil {
            throw Invalid(
                description:
                    "user of context \(contextName) authenticates with an exec plugin or auth provider; give the agent a token or client certificate")
        }
        return connection
    }
}

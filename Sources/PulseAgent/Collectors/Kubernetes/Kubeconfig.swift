import AgentProtocol
import CurlHTTP
import SystemCommand

#if canImport(Glibc)
import Glibc
#endif

/// A kubeconfig, as `kubectl config view --raw -o json` prints it.
///
/// The agent reads kubeconfigs as JSON: a YAML one is converted by the host's `kubectl`. (Swift's
/// YAML library, Yams, pulls in full Foundation and its ICU data, which would take the agent
/// from 18 MB to 61 MB; JSON keeps it on FoundationEssentials.)
struct Kubeconfig: Decodable, Sendable {
    struct NamedCluster: Decodable, Sendable {
        struct Cluster: Decodable, Sendable {
            let server: String?
            let certificateAuthority: String?
            let certificateAuthorityData: String?
            let insecureSkipTLSVerify: Bool?
            enum CodingKeys: String, CodingKey {
                case server, certificateAuthority = "certificate-authority", certificateAuthorityData = "certificate-authority-data"
                case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            }
        }
        let name: String
        let cluster: Cluster?
    }

    struct NamedContext: Decodable, Sendable {
        struct Context: Decodable, Sendable {
            let cluster: String?
            let user: String?
        }
        let name: String
        let context: Context?
    }

    struct NamedUser: Decodable, Sendable {
        struct User: Decodable, Sendable {
            let token: String?
            let tokenFile: String?
            let clientCertificate: String?
            let clientCertificateData: String?
            let clientKey: String?
            let clientKeyData: String?
            let exec: IgnoredValue?
            let authProvider: IgnoredValue?
            enum CodingKeys: String, CodingKey {
                case token, tokenFile, clientCertificate = "client-certificate", clientCertificateData = "client-certificate-data"
                case clientKey = "client-key", clientKeyData = "client-key-data", exec, authProvider = "auth-provider"
            }
        }
        let name: String
        let user: User?
    }

    let currentContext: String?
    let clusters: [NamedCluster]?
    let contexts: [NamedContext]?
    let users: [NamedUser]?

    enum CodingKeys: String, CodingKey { case currentContext = "current-context", clusters, contexts, users }

    /// The kubeconfig at `path` as JSON: as it is when it already is JSON, else converted by
    /// `kubectl config view --raw -o json`.
    ///
    /// kubectl gets the agent's `HOME` (or, without one, a private folder removed afterwards):
    /// without a home it writes its cache (`.kube/cache`, which some kubectl builds fill by asking
    /// the server its version) into the working directory, `/` for a service.
    static func load(
        path: String, root: SystemRoot = SystemRoot("/"), home: String? = getenv("HOME").map { String(cString: $0) },
        timeout: Duration = .seconds(15)
    ) async throws -> [UInt8] {
        guard let text = root.read(path) else { throw KubeConnection.Invalid(description: "cannot read kubeconfig \(path)") }
        if text.trimmingASCIIWhitespace.hasPrefix("{") { return Array(text.utf8) }
        guard let kubectl = Command.find("kubectl") else {
            throw KubeConnection.Invalid(
                description:
                    "\(path) is YAML and kubectl is not installed to read it; write it as JSON (kubectl config view --raw -o json > FILE) or run the agent in the cluster"
            )
        }
        var privateHome: String?
        if home == nil || home?.isEmpty == true {
            var template = Array("/tmp/pulse-agent-kubectl.XXXXXX".utf8CString)
            privateHome = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
        }
        defer { if let privateHome { FileTree.remove(privateHome) } }
        let result = try await Command.run(
            kubectl, ["config", "view", "--raw", "-o", "json", "--kubeconfig", path], timeout: timeout,
            environment: ["HOME": privateHome ?? home ?? "/"])
        guard result.status == 0 else {
            throw KubeConnection.Invalid(description: "kubectl could not read \(path): \(result.text.prefix(300))")
        }
        return result.output
    }
}

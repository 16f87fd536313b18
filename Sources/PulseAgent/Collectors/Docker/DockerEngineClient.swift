import AgentProtocol

/// The Engine API over its unix socket, with the API version the daemon reports (`/version`)
/// as the path prefix, so the agent works with old Docker, new Docker and Podman alike.
struct DockerEngineClient: Sendable {
    let socketPath: String
    private let curl: CurlClient
    /// `/v1.41`, or empty before negotiation.
    private(set) var versionPrefix = ""

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(socketPath: String, timeout: Duration = .seconds(20)) {
        self.socketPath = socketPath
        var curl = CurlClient(timeout: timeout)
        curl.unixSocketPath = socketPath
        self.curl = curl
    }

    /// Reads `/version` (unversioned, as every daemon serves it); returns it and a client that
    /// uses its API version.
    func negotiated() async throws -> (EngineAPI.Version, DockerEngineClient) {
        let version = try await get("/version", as: EngineAPI.Version.self)
        var client = self
        if let api = version.apiVersion, !api.isEmpty, api.allSatisfy({ $0.isNumber || $0 == "." }) {
            client.versionPrefix = "/v" + api
        }
        return (version, client)
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let reply = try await curl.get("http://docker" + versionPrefix + path, headers: ["Accept: application/json"])
        guard (200..<300).contains(reply.status) else {
            throw Failure(description: "\(path) answered \(reply.status): \(String(decoding: reply.body.prefix(200), as: UTF8.self))")
        }
        guard !reply.body.isEmpty else { throw Failure(description: "\(path) answered with an empty body") }
        return try AgentJSONDecoder().decode(T.self, from: reply.body)
    }
}

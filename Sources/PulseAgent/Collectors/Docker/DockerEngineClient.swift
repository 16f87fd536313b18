import CurlHTTP

/// The Engine API over its unix socket, with the API version the daemon reports (`/version`)
/// as the path prefix, so the agent works with old Docker, new Docker and Podman alike.
struct DockerEngineClient: Sendable {
    let socketPath: String
    private let curl: CurlClient
    /// `/v1.41`, or empty before negotiation.
    private(set) var versionPrefix = ""

    init(socketPath: String, timeout: Duration = .seconds(20)) {
        self.socketPath = socketPath
        var curl = CurlClient(userAgent: PulseAgentCommand.userAgent, timeout: timeout)
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
        try await curl.getJSON("http://docker" + versionPrefix + path, as: type, label: path)
    }
}

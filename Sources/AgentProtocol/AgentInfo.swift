/// The reporting agent, as the Docker and Kubernetes reports describe it (`report.agent`).
///
/// The host report has its own, larger ``HostAgentInfo``.
public struct AgentInfo: Codable, Sendable, Equatable {
    /// Stable agent ID: the Docker daemon ID (Docker) or sha256(server|context|context) (Kubernetes),
    /// unless `--agent-id` overrides it.
    public var id: String
    /// Agent version, e.g. `5.1.36`.
    public var version: String
    /// `unified` for the unified agent; absent for legacy agents.
    public var type: String?
    /// Reporting interval in seconds.
    public var intervalSeconds: Int

    public init(id: String, version: String, type: String? = nil, intervalSeconds: Int) {
        self.id = id
        self.version = version
        self.type = type
        self.intervalSeconds = intervalSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        version = try c.decode(.version, default: "")
        type = try c.decodeIfPresent(.type)
        intervalSeconds = try c.decode(.intervalSeconds, default: 0)
    }

    /// Whether the report comes from the unified agent.
    public var isUnified: Bool {
        type == HostAgentInfo.unifiedType
    }
}

/// A control instruction the server hands the Docker module in a ``DockerReportReply``.
///
/// At most one command rides on a reply, and the server expires it after 10 minutes. The agent
/// answers with a ``CommandAck`` at `POST /api/agents/docker/commands/{id}/ack`.
public struct AgentCommand: Codable, Sendable, Equatable {
    /// Command ID, used in the ack path.
    public var id: String
    /// What to do.
    public var type: AgentCommandType
    /// Command arguments, e.g. `{"containerId": "…"}` for ``AgentCommandType/updateContainer``.
    public var payload: [String: JSONValue]?

    public init(id: String, type: AgentCommandType, payload: [String: JSONValue]? = nil) {
        self.id = id
        self.type = type
        self.payload = payload
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(.id, default: "")
        type = try c.decode(.type, default: AgentCommandType(rawValue: ""))
        payload = try c.decodeIfPresent(.payload)
    }
}

/// The kind of an ``AgentCommand``. Open-ended: unknown kinds decode and can be refused by the agent.
public struct AgentCommandType: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Stop reporting: the agent disables its own service, acks `completed` and exits. The server then
    /// removes the host.
    public static let stop = AgentCommandType(rawValue: "stop")
    /// Pull the newest image of the container in `payload.containerId` and recreate it.
    public static let updateContainer = AgentCommandType(rawValue: "update_container")
    /// Drop the registry cache and check every container for image updates now.
    public static let checkUpdates = AgentCommandType(rawValue: "check_updates")

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String {
        rawValue
    }
}

/// The agent's report on a command, the body of `POST /api/agents/docker/commands/{id}/ack`.
public struct CommandAck: Codable, Sendable, Equatable {
    /// The host ID from the ``DockerReportReply`` that carried the command.
    public var hostId: String
    /// Progress of the command. A missing status means `acknowledged`, as in Pulse v5.
    public var status: CommandAckStatus
    /// Human-readable detail, e.g. an error message.
    public var message: String?
    /// Command-specific result data.
    public var payload: [String: JSONValue]?

    public init(hostId: String, status: CommandAckStatus, message: String? = nil, payload: [String: JSONValue]? = nil) {
        self.hostId = hostId
        self.status = status
        self.message = message
        self.payload = payload
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostId = try c.decode(.hostId, default: "")
        status = try c.decode(.status, default: .acknowledged)
        message = try c.decodeIfPresent(.message)
        payload = try c.decodeIfPresent(.payload)
    }
}

/// Progress of a command, as reported in a ``CommandAck``.
///
/// Encodes as the canonical string. Decoding is case-insensitive, ignores surrounding whitespace and
/// accepts Pulse v5's aliases: `ack` and the empty string (acknowledged), `progress` (in progress),
/// `success` and `complete` (completed), `fail` and `error` (failed). Anything else is a `DecodingError`,
/// which the server turns into 400.
public enum CommandAckStatus: String, Codable, Sendable, CaseIterable {
    /// The agent received the command and is working on it.
    case acknowledged
    /// An intermediate progress update (e.g. during a container update).
    case inProgress = "in_progress"
    /// The command finished successfully.
    case completed
    /// The command failed; see ``CommandAck/message``.
    case failed

    /// Maps a status string, canonical or alias, to its status; `nil` for anything else.
    public init?(normalizing text: String) {
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        switch trimmed.lowercased() {
        case "", "ack", "acknowledged": self = .acknowledged
        case "in_progress", "progress": self = .inProgress
        case "success", "completed", "complete": self = .completed
        case "fail", "failed", "error": self = .failed
        default: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let status = CommandAckStatus(normalizing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "Unknown command status \"\(text)\"; expected acknowledged, in_progress, completed or failed")
        }
        self = status
    }
}

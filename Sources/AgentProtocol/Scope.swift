/// A permission an API token can carry, e.g. `host-agent:report`.
///
/// Any string decodes (stored token records may hold scopes from newer versions); use
/// ``parseList(_:)`` to validate scopes a user asks for. Scopes apply to token callers only.
public struct Scope: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// `*`: every permission. Cannot be combined with other scopes.
    public static let wildcard = Scope(rawValue: "*")
    /// Read state, charts, metrics history, storage, backups, resources and alerts.
    public static let monitoringRead = Scope(rawValue: "monitoring:read")
    /// Act on alerts and the dead-letter queue.
    public static let monitoringWrite = Scope(rawValue: "monitoring:write")
    /// Send Docker reports and command acks.
    public static let dockerReport = Scope(rawValue: "docker:report")
    /// Manage Docker hosts (remove, hide, re-enroll).
    public static let dockerManage = Scope(rawValue: "docker:manage")
    /// Send Kubernetes reports.
    public static let kubernetesReport = Scope(rawValue: "kubernetes:report")
    /// Manage Kubernetes clusters.
    public static let kubernetesManage = Scope(rawValue: "kubernetes:manage")
    /// Send host reports and use the host lookup.
    public static let hostAgentReport = Scope(rawValue: "host-agent:report")
    /// Manage host agents.
    public static let hostAgentManage = Scope(rawValue: "host-agent:manage")
    /// Let a host agent read its server-side configuration.
    public static let hostAgentConfigRead = Scope(rawValue: "host-agent:config:read")
    /// Read settings, tokens and updates.
    public static let settingsRead = Scope(rawValue: "settings:read")
    /// Change settings, tokens and updates.
    public static let settingsWrite = Scope(rawValue: "settings:write")
    /// Execute AI commands and remediation plans.
    public static let aiExecute = Scope(rawValue: "ai:execute")
    /// Take part in AI chat.
    public static let aiChat = Scope(rawValue: "ai:chat")
    /// Open the agent execution WebSocket.
    public static let agentExec = Scope(rawValue: "agent:exec")

    /// Every known concrete scope, without ``wildcard`` (Pulse's `AllKnownScopes`).
    public static let all: [Scope] = [
        .monitoringRead, .monitoringWrite,
        .dockerReport, .dockerManage,
        .kubernetesReport, .kubernetesManage,
        .hostAgentReport, .hostAgentConfigRead, .hostAgentManage,
        .settingsRead, .settingsWrite,
        .aiExecute, .aiChat, .agentExec,
    ]

    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Whether this is ``wildcard`` or one of ``all``.
    public var isKnown: Bool {
        self == .wildcard || Scope.all.contains(self)
    }

    public var description: String {
        rawValue
    }

    /// Validates a requested scope list and returns it normalised.
    ///
    /// Whitespace around each entry is trimmed and duplicates are dropped; the result is sorted.
    /// An empty list means full access and yields `[*]`; so does `["*"]`.
    /// - Throws: ``ScopeError`` naming the offending entry for a blank or unknown scope, or when `*` is
    ///   combined with other scopes.
    public static func parseList(_ raw: [String]) throws(ScopeError) -> [Scope] {
        var scopes = Set<Scope>()
        var hasWildcard = false
        for entry in raw {
            var trimmed = Substring(entry)
            while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            let scope = Scope(rawValue: String(trimmed))
            if scope.rawValue.isEmpty {
                throw ScopeError(code: .blankScope, scope: entry)
            } else if scope == .wildcard {
                hasWildcard = true
            } else if scope.isKnown {
                scopes.insert(scope)
            } else {
                throw ScopeError(code: .unknownScope, scope: scope.rawValue)
            }
        }
        if hasWildcard, let other = scopes.map(\.rawValue).min() {
            throw ScopeError(code: .wildcardCombined, scope: other)
        }
        if hasWildcard || scopes.isEmpty {
            return [.wildcard]
        }
        return scopes.sorted { $0.rawValue < $1.rawValue }
    }
}

extension Sequence where Element == Scope {
    /// Whether a token holding these scopes may use something that requires `required`.
    ///
    /// `*` grants everything, and so does an empty list (tokens created before scopes existed).
    public func grants(_ required: Scope) -> Bool {
        var isEmpty = true
        for scope in self {
            if scope == .wildcard || scope == required {
                return true
            }
            isEmpty = false
        }
        return isEmpty
    }
}

/// Why a scope list was rejected.
public struct ScopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of problem. New codes may be added.
    public struct Code: Hashable, Sendable {
        let name: String

        /// The scope is not one Pulse knows.
        public static let unknownScope = Code(name: "unknownScope")
        /// `*` was combined with other scopes.
        public static let wildcardCombined = Code(name: "wildcardCombined")
        /// An entry was empty or only whitespace.
        public static let blankScope = Code(name: "blankScope")
    }

    /// The kind of problem.
    public var code: Code
    /// The offending entry (for ``Code/wildcardCombined``, one of the scopes combined with `*`).
    public var scope: String

    public init(code: Code, scope: String) {
        self.code = code
        self.scope = scope
    }

    public var description: String {
        switch code {
        case .unknownScope: "unknown scope \"\(scope)\""
        case .wildcardCombined: "wildcard '*' cannot be combined with other scopes (found \"\(scope)\")"
        default: "scope identifiers cannot be blank"
        }
    }
}

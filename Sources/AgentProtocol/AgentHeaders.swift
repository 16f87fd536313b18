/// HTTP header names and values used between agents, installers and the server.
public enum AgentHeaders {
    /// Carries the raw API token. Agents always send it: in API-only mode (no password set) the server
    /// honours nothing else.
    public static let apiToken = "X-API-Token"
    /// Carries `Bearer <token>`; agents send it alongside ``apiToken``.
    public static let authorization = "Authorization"
    /// The scheme prefix of an ``authorization`` value, including the space.
    public static let bearerPrefix = "Bearer "
    /// Lowercase hex SHA-256 of a downloaded agent binary; required for installs and self-updates.
    public static let checksumSHA256 = "X-Checksum-Sha256"
    /// The first-run bootstrap token for `/api/security/quick-setup`.
    public static let setupToken = "X-Setup-Token"
    /// Prefix of the unified agent's `User-Agent`, followed by its version.
    public static let userAgentPrefix = "pulse-agent/"

    /// `User-Agent` of the unified agent, e.g. `pulse-agent/5.1.36`.
    public static func userAgent(version: String) -> String {
        userAgentPrefix + version
    }

    /// An ``authorization`` value for `token`: `Bearer <token>`.
    public static func bearer(_ token: String) -> String {
        bearerPrefix + token
    }

    /// The token in an ``authorization`` value, or `nil` unless it uses the Bearer scheme.
    ///
    /// Like Pulse, the scheme is matched case-insensitively and the token is trimmed.
    public static func token(fromAuthorization value: String) -> String? {
        guard value.count > bearerPrefix.count,
            value.prefix(bearerPrefix.count).lowercased() == bearerPrefix.lowercased()
        else { return nil }
        var token = value.dropFirst(bearerPrefix.count)
        while token.first?.isWhitespace == true { token.removeFirst() }
        while token.last?.isWhitespace == true { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }
}

package import AgentProtocol

/// What the credentials on a request established.
package enum Authentication: Sendable {
    /// No credentials were presented.
    case anonymous
    /// A token was presented but is unknown or revoked.
    case rejectedToken
    /// A valid API token; its scopes limit what it may do.
    case token(APITokenRecord)
    /// A logged-in user (sessions arrive with the dashboard work); users are admins.
    case user(String)

    /// The token record, when a token authenticated the request.
    package var token: APITokenRecord? {
        if case .token(let record) = self { return record }
        return nil
    }

    var isAuthenticated: Bool {
        switch self {
        case .token, .user: true
        case .anonymous, .rejectedToken: false
        }
    }
}

/// What a route demands of its caller. Every route declares one when it is registered.
package enum RouteAccess: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, no credentials (health, version, security status).
    case open
    /// An authenticated caller; a token must carry `scope` (or `*`). Users pass.
    case scope(Scope)
    /// The first-run bootstrap token (`X-Setup-Token`) or else an authenticated caller with `scope`.
    case setupTokenOr(Scope)
    /// A one-time Proxmox setup code in the body (`/api/auto-register`) or else an authenticated
    /// caller with `scope`; the handler checks the code.
    case setupCodeOr(Scope)

    package var description: String {
        switch self {
        case .open: "public"
        case .scope(let scope): scope.rawValue
        case .setupTokenOr(let scope): "setup-token or \(scope.rawValue)"
        case .setupCodeOr(let scope): "setup-code or \(scope.rawValue)"
        }
    }

    /// The scope a token needs, if any.
    var requiredScope: Scope? {
        switch self {
        case .open: nil
        case .scope(let scope), .setupTokenOr(let scope), .setupCodeOr(let scope): scope
        }
    }
}

extension Authentication {
    /// Throws 401 when unauthenticated and 403 `missing_scope` when a token lacks `scope`.
    package func require(_ scope: Scope) throws {
        switch self {
        case .anonymous: throw APIError.authenticationRequired
        case .rejectedToken: throw APIError.invalidToken
        case .user: return
        case .token(let record):
            guard record.scopes.grants(scope) else { throw APIError.missingScope(scope.rawValue) }
        }
    }
}

extension Authentication {
    /// Who acted, for `ackUser`: the user name or the token's name.
    package var actor: String? {
        switch self {
        case .user(let name): name
        case .token(let record): record.name
        case .anonymous, .rejectedToken: nil
        }
    }
}

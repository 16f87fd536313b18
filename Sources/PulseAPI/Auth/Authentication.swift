package import AgentProtocol

/// What the credentials on a request established.
package enum Authentication: Sendable {
    /// No credentials were presented.
    case anonymous
    /// A token was presented but is unknown or revoked.
    case rejectedToken
    /// A valid API token; its scopes limit what it may do.
    case token(APITokenRecord)
    /// A signed-in user: a dashboard session (a password login is an admin, single sign-on gives
    /// the mapped role) or a user a trusted reverse proxy vouched for, with the role it named.
    case user(AuthenticatedUser)
    /// A trusted proxy sent `X-Proxy-Secret` but not the configured secret.
    case rejectedProxySecret

    /// The token record, when a token authenticated the request.
    package var token: APITokenRecord? {
        if case .token(let record) = self { return record }
        return nil
    }

    var isAuthenticated: Bool {
        switch self {
        case .token, .user: true
        case .anonymous, .rejectedToken, .rejectedProxySecret: false
        }
    }

    /// The signed-in user, when a session or a trusted proxy authenticated the request.
    package var user: AuthenticatedUser? {
        if case .user(let user) = self { return user }
        return nil
    }
}

/// What a route demands of its caller. Every route declares one when it is registered.
package enum RouteAccess: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, no credentials (health, version, security status).
    case open
    /// An authenticated caller; a token must carry `scope` (or `*`), a user a role that grants it.
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
    /// Throws 401 when unauthenticated, 403 `missing_scope` when a token lacks `scope` and 403
    /// `read_only_role` when a user's role does not grant it (a viewer and any change).
    ///
    /// Every route's access goes through here (`ScopedRouter`), and so do the handlers that check
    /// access themselves, so a role is enforced in this one place.
    package func require(_ scope: Scope) throws {
        switch self {
        case .anonymous: throw APIError.authenticationRequired
        case .rejectedToken: throw APIError.invalidToken
        case .rejectedProxySecret: throw APIError.invalidProxySecret
        case .user(let user):
            guard user.role.grants(scope) else { throw APIError.readOnlyRole(user.role, needs: scope) }
        case .token(let record):
            guard record.scopes.grants(scope) else { throw APIError.missingScope(scope.rawValue) }
        }
    }
}

extension Authentication {
    /// Who acted, for `ackUser`: the user name or the token's name.
    package var actor: String? {
        switch self {
        case .user(let user): user.name
        case .token(let record): record.name
        case .anonymous, .rejectedToken, .rejectedProxySecret: nil
        }
    }
}

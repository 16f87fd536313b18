package import AgentProtocol

/// What a signed-in user may do. Local users (password login) are admins; a reverse proxy
/// (`ProxyAuthentication`) names the role of each user it vouches for, and single sign-on maps
/// the provider's groups to a role (`OIDCSettings.isAdmin`).
package enum UserRole: String, Sendable, Equatable, Codable {
    /// Everything, like a `*` token.
    case admin
    /// Reads what a `monitoring:read` token reads and changes nothing.
    case viewer

    /// The scopes this role holds, in the terms tokens use.
    package var scopes: [Scope] {
        switch self {
        case .admin: [.wildcard]
        case .viewer: [.monitoringRead]
        }
    }

    /// Whether a user of this role may use a route that needs `scope`.
    package func grants(_ scope: Scope) -> Bool {
        scopes.grants(scope)
    }
}

/// A user the server knows the request comes from, and how it knows.
package struct AuthenticatedUser: Sendable, Equatable {
    /// How the user was authenticated.
    package enum Source: String, Sendable, Equatable {
        /// A `pulse_session` cookie from a password login.
        case session
        /// The headers of a trusted reverse proxy that presented the shared secret.
        case proxy
        /// A `pulse_session` cookie from single sign-on (OpenID Connect).
        case oidc
        /// No credentials, from this machine, while recovery has switched authentication off.
        case recovery
    }

    package let name: String
    package let role: UserRole
    package let source: Source

    package init(name: String, role: UserRole, source: Source) {
        self.name = name
        self.role = role
        self.source = source
    }
}

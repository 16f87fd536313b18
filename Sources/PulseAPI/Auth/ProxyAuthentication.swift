package import HTTPTypes
import PulseSupport

/// Sign-in by a reverse proxy that authenticated the user itself (Authelia, oauth2-proxy, …):
/// Pulse's `PROXY_AUTH_*` settings.
///
/// The proxy sends the shared secret in `X-Proxy-Secret`, the user's name in `userHeader` and,
/// optionally, the user's roles in `roleHeader`. The middleware only asks this for requests whose
/// peer is a trusted proxy (`PULSE_TRUSTED_PROXY_CIDRS`); anyone else's headers are ignored.
package struct ProxyAuthentication: Sendable {
    /// The shared secret; it prints as `<redacted>` so no log line or dump can carry it.
    package let secret: ProxySecret
    /// Names the user (`PROXY_AUTH_USER_HEADER`).
    package let userHeader: HTTPField.Name
    /// Lists the user's roles (`PROXY_AUTH_ROLE_HEADER`); without it every proxy user is an admin,
    /// as in Pulse.
    package let roleHeader: HTTPField.Name?
    /// Separates roles in `roleHeader` (`PROXY_AUTH_ROLE_SEPARATOR`, default `|`).
    package let roleSeparator: String
    /// The role that makes a user an admin (`PROXY_AUTH_ADMIN_ROLE`, default `admin`).
    package let adminRole: String
    /// Where the dashboard's logout sends the browser (`PROXY_AUTH_LOGOUT_URL`): the proxy's
    /// own logout, since ending a Pulse session would not end the proxy's.
    package let logoutURL: String?

    /// The header the proxy puts the shared secret in.
    package static let secretHeader = HTTPField.Name("X-Proxy-Secret")!

    /// What a trusted proxy's headers establish.
    package enum Outcome: Sendable, Equatable {
        /// No `X-Proxy-Secret`: other credentials decide.
        case absent
        /// `X-Proxy-Secret` is there but wrong.
        case wrongSecret
        /// The right secret but no user (the proxy let an unauthenticated request through, such
        /// as an agent's): other credentials decide.
        case noUser
        case user(AuthenticatedUser)
    }

    /// Reads the proxy headers; the secret is compared in constant time.
    package func evaluate(_ headers: HTTPFields) -> Outcome {
        guard let presented = headers[Self.secretHeader] else { return .absent }
        guard secret.matches(presented) else { return .wrongSecret }
        guard let name = headers[userHeader]?.trimmingWhitespace, !name.isEmpty else { return .noUser }
        return .user(AuthenticatedUser(name: name, role: role(from: headers), source: .proxy))
    }

    /// Admin when the role list holds `adminRole`, else viewer; admin when no role header is
    /// configured. A missing or empty role list is a viewer: the safe reading of "no roles".
    func role(from headers: HTTPFields) -> UserRole {
        guard let roleHeader else { return .admin }
        let roles = headers[values: roleHeader].flatMap { $0.split(separator: roleSeparator) }
        return roles.contains { $0.trimmingWhitespace == adminRole } ? .admin : .viewer
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        secret: ProxySecret, userHeader: HTTPField.Name, roleHeader: HTTPField.Name?, roleSeparator: String = "|",
        adminRole: String = "admin", logoutURL: String?
    ) {
        self.secret = secret
        self.userHeader = userHeader
        self.roleHeader = roleHeader
        self.roleSeparator = roleSeparator
        self.adminRole = adminRole
        self.logoutURL = logoutURL
    }
}

extension ProxyAuthentication {
    /// From the settings' text; nil when a header name is not one (`isHeaderName`).
    package init?(
        secret: String, userHeaderName: String, roleHeaderName: String?, roleSeparator: String, adminRole: String, logoutURL: String?
    ) {
        guard let userHeader = HTTPField.Name(userHeaderName) else { return nil }
        var roleHeader: HTTPField.Name?
        if let roleHeaderName {
            guard let name = HTTPField.Name(roleHeaderName) else { return nil }
            roleHeader = name
        }
        self.init(
            secret: ProxySecret(secret), userHeader: userHeader, roleHeader: roleHeader, roleSeparator: roleSeparator, adminRole: adminRole,
            logoutURL: logoutURL)
    }

    /// Whether `text` is a valid HTTP header name.
    package static func isHeaderName(_ text: String) -> Bool {
        HTTPField.Name(text) != nil
    }
}

/// The proxy's shared secret. Its descriptions are `<redacted>`, so interpolating a
/// configuration into a log line or an error message cannot leak it.
package struct ProxySecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let bytes: [UInt8]

    package init(_ value: String) {
        bytes = Array(value.utf8)
    }

    /// Compares in time that depends on the lengths only.
    package func matches(_ presented: String) -> Bool {
        constantTimeEquals(Array(presented.utf8), bytes)
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: []) }
}

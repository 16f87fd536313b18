import AgentProtocol
import Foundation
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat
package import PulseCore
package import PulseSupport

/// First-run setup and the public security status.
///
/// `POST /api/security/quick-setup` creates the admin user and a full-access (`*`) API token.
/// Before any user exists it accepts the bootstrap token (header `X-Setup-Token`, or `setupToken`
/// in the body) or a full admin; once a user exists only a full admin (a `*` token or a
/// logged-in user) with `"force": true` may run it again. A `settings:write` token never can:
/// it would mint a `*` token and set the admin's password, more than the token holds. Each run
/// is audited and ends the user's sessions.
package struct SecurityRoutes {
    package let users: UserStore
    package let tokens: TokenRegistry
    package let bootstrap: BootstrapToken
    package let sessions: SessionStore
    package let audit: AuditLog
    package let time: any TimeSource
    package let usesTLS: Bool
    /// Sign-in by a reverse proxy, when configured; the status says so (never the secret).
    package let proxyAuthentication: ProxyAuthentication?
    /// Single sign-on; the status says whether it is on, so the login page offers it.
    package let oidc: LiveOIDCSettings?
    /// The system settings in force (`hideLocalLogin`); nil: the defaults.
    package let systemSettings: LiveSettings?

    package struct Status: Encodable, Sendable {
        /// Someone can sign in to the dashboard: a password user, single sign-on or a reverse proxy.
        let hasAuthentication: Bool
        let apiTokenConfigured: Bool
        let requiresAuth: Bool
        /// Tokens but no way to sign in: the dashboard is read-only, changes need a token.
        let apiOnlyMode: Bool
        let hasHTTPS: Bool
        let isPrivateNetwork: Bool
        let publicAccess: Bool
        let clientIP: String
        /// Nobody can sign in yet: quick setup creates the first admin.
        let setupRequired: Bool
        /// Where to read the bootstrap token; only while setup is pending.
        package let bootstrapTokenPath: String?
        let hasAuditLogging: Bool
        /// Only shown to authenticated callers.
        let authUsername: String?
        /// Proxy sign-in is configured (`PROXY_AUTH_SECRET`).
        let hasProxyAuth: Bool
        /// Where the dashboard's logout goes for a proxy user; empty when not configured.
        let proxyAuthLogoutURL: String
        /// The user the proxy vouched for on this request; empty otherwise.
        let proxyAuthUsername: String
        let proxyAuthIsAdmin: Bool
        /// The role of the signed-in user making this request (`admin`, `viewer`), for the
        /// dashboard to hide what the user may not do; absent for tokens and anonymous callers.
        let authRole: UserRole?
        /// Single sign-on is on: the login page offers "Sign in with SSO" (`/api/oidc/login`).
        let oidcEnabled: Bool
        let oidcIssuer: String
        let oidcClientId: String
        /// Where the dashboard's logout sends an SSO user; empty when not configured.
        let oidcLogoutURL: String
        /// The OIDC keys a flag or variable fixes; absent when none.
        let oidcEnvOverrides: [String: Bool]?
        /// The user signed in through single sign-on on this request; empty otherwise.
        let oidcUsername: String
        /// The login page offers only single sign-on (the password form stays one click away, for
        /// when the provider is down). Never true while single sign-on is off: nobody is locked out.
        let hideLocalLogin: Bool
    }

    package struct QuickSetupRequest: Decodable {
        package let username: String
        package let password: String
        package let apiToken: String?
        let setupToken: String?
        let enableNotifications: Bool?
        let darkMode: Bool?
        package let force: Bool?
    }

    package struct QuickSetupReply: Encodable, Sendable {
        package let success: Bool
        package let message: String
        package let username: String
        /// The raw API token, shown this once.
        package let apiToken: String
        let apiTokenRecord: TokenRoutes.TokenView
    }

    package struct BootstrapCheck: Decodable { let token: String? }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/security/status", access: .open) { _, context in
            let hasUsers = try users.hasUsers()
            let hasTokens = await !tokens.isEmpty
            let setupPending = await bootstrap.isActive && !hasUsers
            let isPrivate = ClientNetwork.isPrivate(context.clientIP)
            let proxyUser = context.authentication.user.flatMap { $0.source == .proxy ? $0 : nil }
            let oidcSettings = oidc?.settings ?? OIDCSettings()
            let oidcLocked = oidc?.locked ?? []
            let canSignIn = hasUsers || oidcSettings.enabled || proxyAuthentication != nil
            return JSONResponse(
                Status(
                    hasAuthentication: canSignIn, apiTokenConfigured: hasTokens, requiresAuth: true,
                    apiOnlyMode: hasTokens && !canSignIn, hasHTTPS: usesTLS,
                    isPrivateNetwork: isPrivate, publicAccess: !isPrivate, clientIP: context.clientIP,
                    setupRequired: !canSignIn, bootstrapTokenPath: setupPending ? bootstrap.path : nil,
                    hasAuditLogging: true,
                    authUsername: context.authentication.isAuthenticated ? try users.usernames().first : nil,
                    hasProxyAuth: proxyAuthentication != nil, proxyAuthLogoutURL: proxyAuthentication?.logoutURL ?? "",
                    proxyAuthUsername: proxyUser?.name ?? "", proxyAuthIsAdmin: proxyUser?.role == .admin,
                    authRole: context.authentication.user?.role, oidcEnabled: oidcSettings.enabled, oidcIssuer: oidcSettings.issuerUrl,
                    oidcClientId: oidcSettings.clientId, oidcLogoutURL: oidcSettings.logoutUrl,
                    oidcEnvOverrides: oidcLocked.isEmpty ? nil : Dictionary(uniqueKeysWithValues: oidcLocked.map { ($0, true) }),
                    oidcUsername: context.authentication.user.flatMap { $0.source == .oidc ? $0.name : nil } ?? "",
                    hideLocalLogin: oidcSettings.enabled && (systemSettings?.current.hideLocalLogin ?? false)))
        }

        routes.post("/api/security/validate-bootstrap-token", access: .open) { request, _ in
            var request = request
            var candidate = request.headers[.setupToken]
            if candidate == nil {
                candidate = try await request.decodeJSON(BootstrapCheck.self, limit: 4096).token
            }
            guard let candidate, await bootstrap.accepts(candidate) else {
                throw APIError(.unauthorized, code: .invalidToken, message: "Invalid or expired bootstrap token")
            }
            return JSONBody.noContent
        }

        routes.post("/api/security/quick-setup", access: .setupTokenOr(.wildcard)) { request, context in
            var request = request
            let buffer = try await request.collectJSONBody(limit: 16 * 1024)
            let decoded = Result { try JSONDecoder().decode(QuickSetupRequest.self, from: buffer) }
            do {
                try await authorizeSetup(headers: request.headers, bodyToken: try? decoded.get().setupToken, context: context)
            } catch {
                audit.record("quick_setup", actor: context.authentication.actor, ip: context.clientIP, success: false, details: "not authorised")
                throw error
            }
            let body: QuickSetupRequest
            do {
                body = try decoded.get()
            } catch let error as DecodingError {
                throw APIError.badRequest(
                    "Malformed JSON body: \(DecodingErrorDescription.describe(error))", code: .invalidJSON)
            }
            if try users.hasUsers(), body.force != true {
                throw APIError(
                    .conflict, code: .alreadyConfigured,
                    message: "Security is already configured; an administrator may run quick setup again with \"force\": true",
                    details: ["field": "force"])
            }
            return try await quickSetup(body, context: context)
        }
    }

    /// The bootstrap token from header or body while no user exists, else a full admin: a `*`
    /// token or a logged-in user.
    private func authorizeSetup(headers: HTTPFields, bodyToken: String?, context: PulseRequestContext) async throws {
        if try !users.hasUsers() {
            for candidate in [headers[.setupToken], bodyToken].compactMap({ $0 }) where await bootstrap.accepts(candidate) {
                return
            }
        }
        try context.authentication.require(.wildcard)
    }

    private func quickSetup(_ body: QuickSetupRequest, context: PulseRequestContext) async throws -> JSONResponse<QuickSetupReply> {
        let username = body.username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !username.isEmpty, username.count <= 64 else {
            throw APIError.badRequest("username must be 1 to 64 characters", field: "username")
        }
        guard body.password.count >= UserStore.minimumPasswordLength else {
            throw APIError.badRequest(
                "password must be at least \(UserStore.minimumPasswordLength) characters", field: "password")
        }
        if let supplied = body.apiToken, !APIToken.isCanonical(supplied) {
            throw APIError.badRequest("apiToken must be 64 hexadecimal characters", field: "apiToken")
        }
        let replacesUser = try users.passwordHash(for: username) != nil
        try await users.setPassword(body.password, for: username, at: time.now())
        let raw = body.apiToken?.lowercased() ?? APIToken.generate()
        let record = try await tokens.adopt(raw: raw, name: "quick-setup (\(username))", scopes: [.wildcard])
        await bootstrap.consume()
        // Whoever held a session as this user before the password was set holds it no longer.
        await sessions.endAll(of: username)
        let actor = context.authentication.actor ?? "bootstrap token"
        audit.record("quick_setup", actor: actor, ip: context.clientIP, details: "user \(username), token \(record.id)")
        if replacesUser { audit.record("password_change", actor: actor, ip: context.clientIP, details: "user \(username) by quick setup") }
        context.logger.notice("security configured by quick-setup", metadata: ["username": .string(username)])
        return JSONResponse(
            QuickSetupReply(
                success: true, message: "Security configured: admin user and API token created",
                username: username, apiToken: raw, apiTokenRecord: TokenRoutes.TokenView(record)))
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        users: UserStore, tokens: TokenRegistry, bootstrap: BootstrapToken, sessions: SessionStore, audit: AuditLog, time: any TimeSource,
        usesTLS: Bool, proxyAuthentication: ProxyAuthentication?, oidc: LiveOIDCSettings? = nil, systemSettings: LiveSettings? = nil
    ) {
        self.users = users
        self.tokens = tokens
        self.bootstrap = bootstrap
        self.sessions = sessions
        self.audit = audit
        self.time = time
        self.usesTLS = usesTLS
        self.proxyAuthentication = proxyAuthentication
        self.oidc = oidc
        self.systemSettings = systemSettings
    }
}

/// Classifies client addresses for the security status.
package enum ClientNetwork {
    /// RFC 1918, loopback, link-local and unique-local addresses.
    package static func isPrivate(_ ip: String) -> Bool {
        let address = ip.hasPrefix("::ffff:") ? String(ip.dropFirst(7)) : ip
        if address == "::1" || address.lowercased().hasPrefix("fe80:") || address.lowercased().hasPrefix("fc")
            || address.lowercased().hasPrefix("fd")
        {
            return true
        }
        let octets = address.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return false }
        switch (octets[0], octets[1]) {
        case (10, _), (127, _), (192, 168), (169, 254): return true
        case (172, 16...31): return true
        default: return false
        }
    }
}

import AgentProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PulseCore
import PulseSupport

/// Single sign-on through an OpenID Connect provider, as in Pulse v5:
///
/// - `GET /api/security/oidc` (`settings:read`): the settings, `clientSecretSet` (never the
///   secret), `defaultRedirect` and `envOverrides`;
/// - `PUT`/`POST /api/security/oidc` (a full admin): the keys present change; a bad value → 400
///   naming the field, a key fixed by a flag or variable → 409 `locked_by_environment`;
/// - `GET /api/oidc/login` (public): 302 to the provider with a new state, nonce and PKCE
///   challenge, bound to this browser by the `pulse_oidc` cookie;
/// - `GET /api/oidc/callback` (public): the provider's answer; on success a session with the
///   mapped role and 302 to the dashboard (`/?oidc=success`), else 302 to the login page with
///   `oidc=error&oidc_error=<code>` and no session. Both outcomes are audited (`oidc_login`).
package struct OIDCRoutes {
    package let signIn: OIDCSignIn
    package let sessions: SessionStore
    package let audit: AuditLog
    package let usesTLS: Bool
    package let publicURL: @Sendable () -> String?

    static let browserCookie = "pulse_oidc"

    package init(signIn: OIDCSignIn, sessions: SessionStore, audit: AuditLog, usesTLS: Bool, publicURL: @escaping @Sendable () -> String?) {
        self.signIn = signIn
        self.sessions = sessions
        self.audit = audit
        self.usesTLS = usesTLS
        self.publicURL = publicURL
    }

    /// The settings as Pulse answers them.
    struct Reply: Encodable, Sendable {
        let settings: OIDCSettings
        let clientSecretSet: Bool
        let defaultRedirect: String
        let envOverrides: [String: Bool]?

        enum Extra: String, CodingKey { case clientSecretSet, defaultRedirect, envOverrides }

        func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: Extra.self)
            try container.encode(clientSecretSet, forKey: .clientSecretSet)
            try container.encode(defaultRedirect, forKey: .defaultRedirect)
            try container.encodeIfPresent(envOverrides, forKey: .envOverrides)
        }
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/security/oidc", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(reply())
        }
        for method in [HTTPRequest.Method.put, .post] {
            routes.on(method, "/api/security/oidc", access: .scope(.wildcard)) { request, context in
                var request = request
                let patch = try await request.decodeJSON(OIDCSettingsPatch.self, limit: 64 * 1024)
                let updated = try signIn.settings.update(patch)
                let changed = OIDCSettings.keys.filter { patch.values[$0] != nil } + (patch.changesSecret ? ["clientSecret"] : [])
                audit.record(
                    "oidc_settings_change", actor: context.authentication.actor, ip: context.clientIP,
                    details: "enabled \(updated.enabled); changed \(changed.joined(separator: ","))")
                return JSONResponse(reply())
            }
        }
        routes.get("/api/oidc/login", access: .open) { request, context in
            let returnTo = Self.localPath(request.uri.queryParameters["returnTo"].map(String.init) ?? "")
            do {
                let (url, browserKey) = try await signIn.begin(redirectURI: redirectURI(for: request), returnTo: returnTo)
                var response = Response(status: .found, headers: [.location: url, .cacheControl: "no-store"])
                response.headers.append(browserCookie(browserKey, maxAge: Int(OIDCPendingLogins.lifetime)))
                return response
            } catch let refusal as OIDCSignIn.Refusal {
                context.logger.warning("OIDC login could not start", metadata: ["reason": .string(refusal.reason)])
                return Self.redirect(to: "", ["oidc": "error", "oidc_error": refusal.code])
            }
        }
        routes.get("/api/oidc/callback", access: .open) { request, context in
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            let browserKey = request.cookies[Self.browserCookie]?.value
            var response: Response
            do {
                let user = try await signIn.complete(query: query, browserKey: browserKey)
                let role: UserRole = user.isAdmin ? .admin : .viewer
                let issued = try await sessions.create(username: user.name, rememberMe: false, role: role, signIn: .oidc)
                audit.record("oidc_login", actor: user.name, ip: context.clientIP, details: "role \(role.rawValue)")
                response = Self.redirect(to: user.returnTo, ["oidc": "success"])
                for cookie in SessionCookies.fields(session: issued.id, csrf: issued.csrfToken, maxAge: issued.maxAge, secure: usesTLS) {
                    response.headers.append(cookie)
                }
            } catch let refusal as OIDCSignIn.Refusal {
                audit.record("oidc_login", actor: refusal.actor, ip: context.clientIP, success: false, details: refusal.reason)
                response = Self.redirect(to: refusal.returnTo, ["oidc": "error", "oidc_error": refusal.code])
            }
            response.headers.append(browserCookie("", maxAge: 0))
            return response
        }
    }

    private func reply() -> Reply {
        let locked = signIn.settings.locked
        return Reply(
            settings: signIn.settings.settings, clientSecretSet: signIn.settings.clientSecretSet,
            defaultRedirect: publicURL().map { Self.trimmedSlash($0) + OIDCSettings.callbackPath } ?? "",
            envOverrides: locked.isEmpty ? nil : Dictionary(uniqueKeysWithValues: locked.map { ($0, true) }))
    }

    /// The configured redirect URL, else the public URL's callback, else this request's own
    /// scheme and host (the provider only sends the browser to a URI registered with it).
    private func redirectURI(for request: Request) -> String {
        let configured = signIn.settings.settings.redirectUrl
        if !configured.isEmpty { return configured }
        if let base = publicURL() { return Self.trimmedSlash(base) + OIDCSettings.callbackPath }
        let host = request.head.authority ?? "localhost"
        return (usesTLS ? "https://" : "http://") + host + OIDCSettings.callbackPath
    }

    /// Limited to the login's own path and lifetime, HttpOnly; `SameSite=Lax` so the provider's
    /// top-level redirect back still carries it.
    private func browserCookie(_ value: String, maxAge: Int) -> HTTPField {
        HTTPField(
            name: .setCookie,
            value: "\(Self.browserCookie)=\(value); Path=/api/oidc; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(usesTLS ? "; Secure" : "")")
    }

    /// `path` when it is a path on this server, else "" (no open redirect through `returnTo`).
    static func localPath(_ path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"), path.count <= 512,
            !path.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }), URL(string: path)?.host == nil
        else { return "" }
        return path
    }

    /// 302 to a local path (the dashboard by default) with `parameters` added to its query.
    static func redirect(to path: String, _ parameters: KeyValuePairs<String, String>) -> Response {
        let target = localPath(path).isEmpty ? "/" : localPath(path)
        let separator = target.contains("?") ? "&" : "?"
        let query = FormEncoding.encode(parameters.map { ($0.key, $0.value) })
        return Response(status: .found, headers: [.location: target + separator + query, .cacheControl: "no-store"])
    }

    private static func trimmedSlash(_ text: String) -> String {
        text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}

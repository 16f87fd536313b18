import AgentProtocol
import Foundation
package import PulseCore
package import PulseSupport

/// Single sign-on with the authorization code flow, PKCE (S256), `state` and `nonce`: `begin`
/// gives the provider's authorization URL, `complete` takes the provider's answer to a verified
/// user and role, or to a refusal with Pulse's `oidc_error` code. Nothing here makes a session.
package struct OIDCSignIn: Sendable {
    package let settings: LiveOIDCSettings
    package let pending: OIDCPendingLogins
    package let providers: OIDCProviders
    package let time: any TimeSource

    package init(settings: LiveOIDCSettings, time: any TimeSource) {
        self.settings = settings
        self.pending = OIDCPendingLogins(time: time)
        self.providers = OIDCProviders(time: time)
        self.time = time
    }

    /// A user the provider vouched for and the settings admit.
    package struct User: Sendable, Equatable {
        package let name: String
        package let email: String
        package let groups: [String]
        package let isAdmin: Bool
        package let returnTo: String
    }

    /// Why sign-in did not happen: `code` for the browser (Pulse's `oidc_error`), `reason` for the
    /// audit log, `actor` when the provider had named the user.
    package struct Refusal: Error, Sendable {
        package let code: String
        package let reason: String
        package var actor: String?
        package var returnTo = ""
    }

    /// Starts a login: the URL to send the browser to and the value of its binding cookie.
    package func begin(redirectURI: String, returnTo: String) async throws -> (url: String, browserKey: String) {
        let current = settings.settings
        guard current.enabled else { throw Refusal(code: "oidc_disabled", reason: "OIDC is not enabled") }
        let discovery: OIDCProvider.Discovery
        do {
            discovery = try await providers.provider(for: current).metadata()
        } catch {
            throw Refusal(code: "oidc_init_failed", reason: "\(error)")
        }
        let started = await pending.start(returnTo: returnTo, redirectURI: redirectURI)
        let query = FormEncoding.encode([
            ("response_type", "code"), ("client_id", current.clientId), ("redirect_uri", redirectURI),
            ("scope", current.scopes.joined(separator: " ")), ("state", started.state), ("nonce", started.nonce),
            ("code_challenge", started.codeChallenge), ("code_challenge_method", "S256"),
        ])
        let separator = discovery.authorizationEndpoint.contains("?") ? "&" : "?"
        return (discovery.authorizationEndpoint + separator + query, started.browserKey)
    }

    /// Finishes a login from the callback's query and the browser's binding cookie.
    package func complete(query: [String: String], browserKey: String?) async throws -> User {
        let current = settings.settings
        guard current.enabled else { throw Refusal(code: "oidc_disabled", reason: "OIDC is not enabled") }
        if let error = query["error"] {
            let code = String(error.unicodeScalars.filter { CharacterSet.lowercaseLetters.contains($0) || $0 == "_" }.prefix(64).map(Character.init))
            throw Refusal(code: code.isEmpty ? "provider_error" : code, reason: "the provider answered error \(code)")
        }
        guard let state = query["state"], !state.isEmpty else { throw Refusal(code: "missing_state", reason: "the callback has no state") }
        let login: OIDCPendingLogins.Login
        do {
            login = try await pending.take(state: state, browserKey: browserKey)
        } catch let refusal as OIDCPendingLogins.Refusal {
            throw Refusal(
                code: refusal.rawValue, reason: refusal == .unknownState ? "unknown, used or expired state" : "state issued to another browser")
        }
        guard let code = query["code"], !code.isEmpty else {
            throw Refusal(code: "missing_code", reason: "the callback has no authorization code", returnTo: login.returnTo)
        }
        let claims: [String: JSONValue]
        do {
            let provider = try await providers.provider(for: current)
            let idToken = try await provider.idToken(
                code: code, codeVerifier: login.codeVerifier, redirectURI: login.redirectURI, clientID: current.clientId,
                clientSecret: settings.clientSecret)
            claims = try await verify(idToken, provider: provider, clientID: current.clientId, nonce: login.nonce)
        } catch let failure as IDTokenVerifier.Failure {
            throw Refusal(code: "invalid_id_token", reason: "ID token refused: \(failure)", returnTo: login.returnTo)
        } catch {
            throw Refusal(code: "exchange_failed", reason: "\(error)", returnTo: login.returnTo)
        }
        let email = Self.string(claims[current.emailClaim])
        let name =
            [Self.string(claims[current.usernameClaim]), email, Self.string(claims["name"]), Self.string(claims["sub"])]
            .first { !$0.isEmpty } ?? ""
        let groups = current.groupsClaim.isEmpty ? [] : Self.strings(claims[current.groupsClaim])
        if let refusal = current.refusal(email: email, groups: groups) {
            throw Refusal(
                code: refusal.rawValue, reason: "\(name) is not admitted (\(refusal.rawValue))", actor: name, returnTo: login.returnTo)
        }
        return User(name: name, email: email, groups: groups, isAdmin: current.isAdmin(groups: groups), returnTo: login.returnTo)
    }

    /// Verifies against the cached keys, and once more with fresh keys when the token names a
    /// key the cache lacks (the provider rotated its keys).
    private func verify(_ token: String, provider: OIDCProvider, clientID: String, nonce: String) async throws -> [String: JSONValue] {
        let verifier = IDTokenVerifier(issuer: try await provider.metadata().issuer, clientID: clientID)
        do {
            return try await verifier.verify(token, keys: try await provider.signingKeys(), nonce: nonce, now: time.now())
        } catch let failure as IDTokenVerifier.Failure where failure.unknownKey {
            return try await verifier.verify(token, keys: try await provider.signingKeys(refresh: true), nonce: nonce, now: time.now())
        }
    }

    /// A string claim; the first string of an array, as Pulse reads one.
    static func string(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): text.trimmingCharacters(in: .whitespaces)
        case .array(let items): items.lazy.map { string($0) }.first { !$0.isEmpty } ?? ""
        default: ""
        }
    }

    /// A list claim: an array of strings, or one string split at commas and spaces.
    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text): text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        case .array(let items): items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }
}

/// The provider client for the settings in force: kept while issuer and CA bundle stay the same,
/// so discovery and keys are not read again on each login.
package actor OIDCProviders {
    private let time: any TimeSource
    private var current: (issuer: String, caBundle: String, provider: OIDCProvider)?

    package init(time: any TimeSource) {
        self.time = time
    }

    package func provider(for settings: OIDCSettings) throws -> OIDCProvider {
        if let current, current.issuer == settings.issuerUrl, current.caBundle == settings.caBundle { return current.provider }
        let provider = try OIDCProvider(issuer: settings.issuerUrl, caBundle: settings.caBundle, time: time)
        current = (settings.issuerUrl, settings.caBundle, provider)
        return provider
    }
}

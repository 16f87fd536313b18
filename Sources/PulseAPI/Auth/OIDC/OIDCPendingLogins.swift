import Crypto
package import Foundation
package import PulseSupport

/// Logins sent to the provider and not yet back: per `state`, the nonce and PKCE verifier that
/// go with it and the hash of the browser's binding cookie.
///
/// Each entry is used once, whatever the outcome (taking it removes it), lives ten minutes and
/// answers only to the browser that started it: a callback URL that leaks, or that an attacker
/// makes a victim's browser open (login CSRF), finds no matching cookie.
package actor OIDCPendingLogins {
    package struct Login: Sendable {
        package let nonce: String
        package let codeVerifier: String
        /// A local path to return to after sign-in.
        package let returnTo: String
        /// The redirect URI the authorization request named; the token request must repeat it.
        package let redirectURI: String
        let browserHash: String
        let startedAt: Date
    }

    /// What `start` hands out: the values for the authorization request and the cookie.
    package struct Started: Sendable {
        package let state: String
        package let nonce: String
        /// The PKCE challenge (S256 of the verifier), for the authorization request.
        package let codeChallenge: String
        /// The value of the browser-binding cookie.
        package let browserKey: String
    }

    package enum Refusal: String, Error, Sendable {
        /// No such state: never issued, already used, or expired.
        case unknownState = "invalid_state"
        /// The state was issued to another browser (or the cookie is gone).
        case otherBrowser = "state_mismatch"
    }

    package static let lifetime: TimeInterval = 600
    /// Started logins kept at once; the oldest go first, so a flood of starts costs bounded memory.
    package static let capacity = 1024

    private let time: any TimeSource
    private var logins: [String: Login] = [:]

    package init(time: any TimeSource) {
        self.time = time
    }

    package func start(returnTo: String, redirectURI: String) -> Started {
        dropExpired()
        if logins.count >= Self.capacity, let oldest = logins.min(by: { $0.value.startedAt < $1.value.startedAt })?.key {
            logins[oldest] = nil
        }
        let state = RandomHex.make(byteCount: 32)
        let nonce = RandomHex.make(byteCount: 32)
        let verifier = RandomHex.make(byteCount: 32)
        let browserKey = RandomHex.make(byteCount: 32)
        logins[state] = Login(
            nonce: nonce, codeVerifier: verifier, returnTo: returnTo, redirectURI: redirectURI, browserHash: Self.hash(browserKey),
            startedAt: time.now())
        return Started(
            state: state, nonce: nonce, codeChallenge: Base64URL.encode(SHA256.hash(data: Data(verifier.utf8))), browserKey: browserKey)
    }

    /// The login `state` names, removed so it cannot be used again; refused when unknown,
    /// expired, or when `browserKey` (the cookie) is not the one it was started with.
    package func take(state: String, browserKey: String?) throws -> Login {
        dropExpired()
        guard let login = logins.removeValue(forKey: state) else { throw Refusal.unknownState }
        guard let browserKey, constantTimeEquals(Array(Self.hash(browserKey).utf8), Array(login.browserHash.utf8)) else {
            throw Refusal.otherBrowser
        }
        return login
    }

    private func dropExpired() {
        let now = time.now()
        logins = logins.filter { now.timeIntervalSince($0.value.startedAt) < Self.lifetime }
    }

    private static func hash(_ value: String) -> String { SHA256.hash(data: Data(value.utf8)).hexString }
}

import Crypto
package import Foundation
package import PulseSupport

/// A way back in for the operator at the server's own console (Pulse's `/api/security/recovery`).
///
/// A loopback client asks for a recovery token; the token, shown once, may then switch
/// authentication off for loopback clients for `authDisabledDuration`, after which it is on again
/// by itself. Nothing here ever admits a client that is not loopback: the middleware asks
/// `admitsLoopbackWithoutCredentials()` only for requests `ClientAddressMiddleware` found to
/// come from this machine.
///
/// Tokens are kept only as SHA-256 hashes, expire after `tokenLifetime` and work once. Both the
/// tokens and the disabled window live in memory only: a restart ends them, the safe direction.
package actor RecoveryMode {
    /// How long a recovery token may be used.
    package static let tokenLifetime: TimeInterval = 15 * 60
    /// The longest lifetime a caller may ask for (Pulse's `duration`, in minutes, up to 60).
    package static let maximumTokenLifetime: TimeInterval = 60 * 60
    /// How long loopback clients are let in without credentials after `disable_auth`.
    package static let authDisabledDuration: TimeInterval = 15 * 60
    /// Outstanding tokens kept at most; the oldest goes first.
    static let maximumOutstandingTokens = 8

    /// What the status reports.
    package struct Status: Sendable, Equatable {
        /// Until when loopback clients are admitted without credentials; nil when they are not.
        package var authDisabledUntil: Date?
        package var outstandingTokens: Int
    }

    /// How a disabled window ended, for the audit log.
    package enum Ending: Sendable, Equatable {
        case expired(at: Date)
    }

    private struct IssuedToken {
        var hash: String
        var expiresAt: Date
    }

    private let time: any TimeSource
    private let onEnded: @Sendable (Ending) -> Void
    private var tokens: [IssuedToken] = []
    private var authDisabledUntil: Date?

    /// `onEnded` hears of a window that ran out by itself (when it is first noticed), to audit it.
    package init(time: any TimeSource, onEnded: @escaping @Sendable (Ending) -> Void = { _ in }) {
        self.time = time
        self.onEnded = onEnded
    }

    private static func hash(_ raw: String) -> String { SHA256.hash(data: Data(raw.utf8)).hexString }

    /// A new one-time token (32 random bytes as hex) valid for `lifetime`, and when it expires.
    package func issueToken(lifetime: TimeInterval = RecoveryMode.tokenLifetime) -> (raw: String, expiresAt: Date) {
        let now = time.now()
        pruneTokens(at: now)
        let raw = RandomHex.make(byteCount: 32)
        let expiresAt = now.addingTimeInterval(min(max(lifetime, 60), Self.maximumTokenLifetime))
        tokens.append(IssuedToken(hash: Self.hash(raw), expiresAt: expiresAt))
        if tokens.count > Self.maximumOutstandingTokens { tokens.removeFirst(tokens.count - Self.maximumOutstandingTokens) }
        return (raw, expiresAt)
    }

    /// Uses up `presented` if it is an outstanding, unexpired token: true once, never again.
    /// Every outstanding hash is compared, each in constant time.
    package func redeem(_ presented: String) -> Bool {
        let now = time.now()
        pruneTokens(at: now)
        let candidate = Array(Self.hash(presented.trimmingWhitespace).utf8)
        var match: Int?
        for (index, token) in tokens.enumerated() where constantTimeEquals(Array(token.hash.utf8), candidate) {
            match = index
        }
        guard let match else { return false }
        tokens.remove(at: match)
        return true
    }

    /// Admits loopback clients without credentials from now for `authDisabledDuration`; returns
    /// the end of the window.
    package func disableAuthentication() -> Date {
        let until = time.now().addingTimeInterval(Self.authDisabledDuration)
        authDisabledUntil = until
        return until
    }

    /// Ends the window; returns whether one was open.
    @discardableResult
    package func enableAuthentication() -> Bool {
        let wasOpen = currentWindow() != nil
        authDisabledUntil = nil
        return wasOpen
    }

    /// Whether a loopback request without credentials is admitted as an administrator now.
    package func admitsLoopbackWithoutCredentials() -> Bool {
        currentWindow() != nil
    }

    package func status() -> Status {
        pruneTokens(at: time.now())
        return Status(authDisabledUntil: currentWindow(), outstandingTokens: tokens.count)
    }

    /// The end of the open window, closing (and reporting) one that has run out.
    private func currentWindow() -> Date? {
        guard let until = authDisabledUntil else { return nil }
        guard time.now() < until else {
            authDisabledUntil = nil
            onEnded(.expired(at: until))
            return nil
        }
        return until
    }

    private func pruneTokens(at now: Date) {
        tokens.removeAll { $0.expiresAt <= now }
    }
}

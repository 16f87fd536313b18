import Foundation

/// Why a provider request failed, in words fit for the API's answer: never a key.
package struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// No provider, model or key is configured.
        case notConfigured
        /// The provider's URL is refused (scheme, credentials, a private address not allowed).
        case refusedTarget
        /// The provider could not be reached or did not answer in time.
        case unreachable
        /// The provider answered 429.
        case rateLimited
        /// The provider answered another non-2xx status.
        case failed(status: Int)
        /// The answer was not what the API documents.
        case malformed
    }

    package let kind: Kind
    package let message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }

    /// `message` with every occurrence of `secret` masked (an echoing error page).
    package func redacting(_ secret: String?) -> ProviderError {
        guard let secret, secret.count >= 4 else { return self }
        return ProviderError(kind, message.replacingOccurrences(of: secret, with: "[redacted]"))
    }
}

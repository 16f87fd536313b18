package import Crypto
package import Foundation

/// A license document: `<payload>.<signature>`, both base64url, the payload JSON signed with
/// Ed25519 by the key whose public half the operator configured (`PULSE_LICENSE_PUBLIC_KEY`).
/// The key the user pastes is this text; nothing in it is secret.
package struct LicenseDocument: Sendable, Equatable {
    /// What the payload says.
    package struct Claims: Codable, Sendable, Equatable {
        package var licenseId: String?
        /// Who the license is for.
        package var holder: String
        package var email: String?
        package var tier: String?
        package var issuedAt: Date?
        /// Nil: it does not expire.
        package var expiresAt: Date?

        enum CodingKeys: String, CodingKey {
            case licenseId = "license_id", holder, email, tier, issuedAt = "issued_at", expiresAt = "expires_at"
        }

        package init(licenseId: String?, holder: String, email: String?, tier: String?, issuedAt: Date?, expiresAt: Date?) {
            self.licenseId = licenseId
            self.holder = holder
            self.email = email
            self.tier = tier
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
        }
    }

    /// Why a key is refused; each says what is wrong with `license_key` without repeating it.
    package enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed, badSignature, badClaims(String), expired(Date)

        package var description: String {
            switch self {
            case .malformed: "license_key is not a license document (expected <payload>.<signature>, both base64url)"
            case .badSignature: "license_key is not signed by the license key this server trusts"
            case .badClaims(let why): "license_key's payload is not valid: \(why)"
            case .expired(let date): "license_key expired on \(date.formatted(.iso8601))"
            }
        }
    }

    /// The text as pasted (trimmed).
    package let text: String
    package let claims: Claims

    /// Checks `text`'s signature with `publicKey`, then its claims at `now`.
    package init(_ text: String, publicKey: Curve25519.Signing.PublicKey, now: Date) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.base64URLDecode(parts[0]), let signature = Self.base64URLDecode(parts[1]) else {
            throw .malformed
        }
        guard publicKey.isValidSignature(signature, for: payload) else { throw .badSignature }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let claims: Claims
        do {
            claims = try decoder.decode(Claims.self, from: payload)
        } catch {
            throw .badClaims("the JSON does not have a holder and ISO 8601 dates")
        }
        guard !claims.holder.trimmingCharacters(in: .whitespaces).isEmpty else { throw .badClaims("holder is empty") }
        if let expiry = claims.expiresAt, expiry <= now { throw .expired(expiry) }
        self.text = trimmed
        self.claims = claims
    }

    /// Signs `claims` into a document (tests and tooling hold the private key; the server never does).
    package static func sign(_ claims: Claims, with key: Curve25519.Signing.PrivateKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let payload = try encoder.encode(claims)
        return base64URLEncode(payload) + "." + base64URLEncode(try key.signature(for: payload))
    }

    /// The public key from its configured text: base64 of the 32 raw bytes, or a PEM `PUBLIC KEY`
    /// (as `PULSE_UPDATE_PUBLIC_KEY`).
    package static func publicKey(from text: String) -> Curve25519.Signing.PublicKey? {
        ReleaseKey.ed25519PublicKey(text: text)
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        guard !text.isEmpty else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    package static func base64URLEncode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

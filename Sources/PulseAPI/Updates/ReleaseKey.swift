package import Crypto
package import Foundation

/// The Ed25519 public key releases are signed with, configured on the server
/// (`PULSE_UPDATE_PUBLIC_KEY`). Without one, updates can be checked but never applied.
package struct ReleaseKey: Sendable {
    private let key: Curve25519.Signing.PublicKey

    /// Reads base64 of the raw 32-byte key, or a PEM `PUBLIC KEY` (as `openssl pkey -pubout`
    /// writes it); nil for anything else.
    package init?(text: String) {
        guard let key = Self.ed25519PublicKey(text: text) else { return nil }
        self.key = key
    }

    /// An Ed25519 public key from base64 of its raw 32 bytes or a PEM `PUBLIC KEY`; nil for anything
    /// else (the license key, `PULSE_LICENSE_PUBLIC_KEY`, takes the same forms).
    package static func ed25519PublicKey(text: String) -> Curve25519.Signing.PublicKey? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let isPEM = lines.first == "-----BEGIN PUBLIC KEY-----"
        let body: String
        if isPEM {
            guard let end = lines.firstIndex(of: "-----END PUBLIC KEY-----"), end > 1 else { return nil }
            body = lines[1..<end].joined()
        } else {
            guard lines.count == 1 else { return nil }
            body = lines[0]
        }
        guard let decoded = Data(base64Encoded: body) else { return nil }
        let prefix = AgentSigningKey.subjectPublicKeyInfoPrefix
        let raw: Data
        if !isPEM, decoded.count == 32 {
            raw = decoded
        } else if decoded.count == prefix.count + 32, decoded.starts(with: prefix) {
            raw = decoded.dropFirst(prefix.count)
        } else {
            return nil
        }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// True only when `signature` (base64) is this key's signature of `statement`.
    package func verifies(signature: String, of statement: ReleaseStatement) -> Bool {
        guard let bytes = Data(base64Encoded: signature), bytes.count == 64 else { return false }
        return key.isValidSignature(bytes, for: statement.bytes)
    }
}

/// What a release signature covers: the version, the platform and the archive's SHA-256, one per
/// line after a fixed first line. Signing the checksum binds the signature to the archive's
/// exact bytes; signing the version as well keeps a feed from passing an older signed archive
/// off as a newer release (which would defeat the refusal to downgrade).
package struct ReleaseStatement: Sendable, Equatable {
    package let version: String
    package let platform: String
    /// Lower-case hex.
    package let sha256: String

    package init(version: String, platform: String, sha256: String) {
        self.version = version
        self.platform = platform
        self.sha256 = sha256
    }

    /// The signed bytes: `pulse-release v1\n<version>\n<platform>\n<sha256>\n`, with the version
    /// as `SemanticVersion` writes it (no `v`).
    package var bytes: Data { Data("pulse-release v1\n\(version)\n\(platform)\n\(sha256)\n".utf8) }
}

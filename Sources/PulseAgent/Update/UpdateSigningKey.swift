import CurlHTTP

/// The server's Ed25519 public key, pinned on the host by the installer (`--update-key-file`,
/// `PULSE_UPDATE_KEY_FILE`; `/etc/pulse-agent/update-key.pem`). The agent installs an update
/// only when its signature verifies with this key; without one it does not update at all.
struct UpdateSigningKey: Sendable, Equatable {
    /// The raw 32-byte key.
    let bytes: [UInt8]

    /// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow.
    static let subjectPublicKeyInfoPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// Reads the PEM `PUBLIC KEY` the installer writes (what `GET /api/agent/signing-key` calls
    /// `pem`), or a bare base64 of the raw key (its `publicKey`); nil for anything else.
    init?(text: String) {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingASCIIWhitespace }.filter { !$0.isEmpty }
        let body: String
        if lines.first == "-----BEGIN PUBLIC KEY-----" {
            guard let end = lines.firstIndex(of: "-----END PUBLIC KEY-----"), end > 1 else { return nil }
            body = lines[1..<end].joined()
        } else {
            guard lines.count == 1 else { return nil }
            body = lines[0]
        }
        guard let decoded = Base64.decode(body) else { return nil }
        let prefix = Self.subjectPublicKeyInfoPrefix
        if decoded.count == 32, lines.count == 1 {
            bytes = decoded
        } else if decoded.count == prefix.count + 32, decoded.starts(with: prefix) {
            bytes = Array(decoded.dropFirst(prefix.count))
        } else {
            return nil
        }
    }

    /// True when `signature` is this key's signature of exactly `message`.
    func verifies(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        Ed25519Signature.isValid(signature, of: message, publicKey: bytes)
    }
}

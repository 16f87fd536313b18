package import Crypto
package import Foundation
import Persistence
import PulseSupport

/// The Ed25519 key the server signs agent builds with, so an agent or the installer can tell a
/// build this server published from one altered on the way (over `http://`, whoever sits on the
/// path can replace a binary and the checksum sent beside it; not a signature).
///
/// The private key is `<data>/.agent-signing.key`: base64 of the 32-byte seed, mode 0600,
/// created on first start and kept across restarts (agents pin the public key at install).
package struct AgentSigningKey: Sendable {
    package struct KeyError: Error, CustomStringConvertible {
        package let description: String
    }

    private let privateKey: Curve25519.Signing.PrivateKey

    package init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    /// Loads the key file, or creates it when absent; a key file others could read is made 0600.
    package static func loadOrCreate(path: String) throws -> AgentSigningKey {
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8).trimmingWhitespace
            guard let seed = Data(base64Encoded: text), seed.count == 32,
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            else {
                throw KeyError(description: "\(path) does not hold base64 of a 32-byte Ed25519 key")
            }
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 { chmod(path, 0o600) }
            return AgentSigningKey(privateKey: key)
        }
        let key = Curve25519.Signing.PrivateKey()
        try AtomicFile.write(Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: path, mode: 0o600)
        return AgentSigningKey(privateKey: key)
    }

    /// The raw 32-byte public key.
    package var publicKey: Data { privateKey.publicKey.rawRepresentation }

    /// Base64 of the raw public key: what `install.sh --key` takes.
    var publicKeyBase64: String { publicKey.base64EncodedString() }

    /// The public key as a PEM SubjectPublicKeyInfo, as `openssl pkeyutl -verify -pubin -inkey` reads it.
    var publicKeyPEM: String { Self.pem(publicKey: publicKey) }

    /// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID
    /// 1.3.101.112 }, BIT STRING (33 bytes) }; the 32 key bytes follow. It is 12 bytes, a
    /// multiple of 3, so its base64 (`MCowBQYDK2VwAyEA`) joins the key's base64 as it is.
    static let subjectPublicKeyInfoPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    package static func pem(publicKey: Data) -> String {
        let der = Data(subjectPublicKeyInfoPrefix) + publicKey
        return "-----BEGIN PUBLIC KEY-----\n\(der.base64EncodedString())\n-----END PUBLIC KEY-----\n"
    }

    /// The 64-byte Ed25519 signature of exactly `bytes`.
    func signature(for bytes: Data) throws -> Data {
        try privateKey.signature(for: bytes)
    }
}

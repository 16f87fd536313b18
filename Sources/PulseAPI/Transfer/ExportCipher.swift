import Crypto
package import Foundation
import _CryptoExtras

/// The sealing of configuration exports: `base64(salt32 ‖ nonce12 ‖ AES-256-GCM(json) ‖ tag)`,
/// the key derived from the passphrase with PBKDF2-HMAC-SHA256. That is Pulse's layout, so its
/// exports open here; ours use 600,000 rounds (OWASP's figure for SHA-256) where Pulse uses
/// 100,000, and opening tries both.
package enum ExportCipher {
    static let minimumPassphraseLength = 12
    static let rounds = 600_000
    /// Pulse v5's count, accepted when opening its exports.
    static let pulseRounds = 100_000

    package struct WrongPassphrase: Error {}

    package static func seal(_ plaintext: Data, passphrase: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let key = try key(passphrase, salt: salt, rounds: rounds)
        let box = try AES.GCM.seal(plaintext, using: key)
        return (salt + Data(box.nonce) + box.ciphertext + box.tag).base64EncodedString()
    }

    /// The plaintext, or `WrongPassphrase` when no key opens it (a wrong passphrase and a
    /// damaged bundle look the same to GCM).
    static func open(_ bundle: String, passphrase: String) throws -> Data {
        guard let data = Data(base64Encoded: bundle.trimmingCharacters(in: .whitespacesAndNewlines)), data.count > 32 + 12 + 16 else {
            throw WrongPassphrase()
        }
        let salt = data.prefix(32)
        let box = try AES.GCM.SealedBox(combined: data.dropFirst(32))
        for count in [rounds, pulseRounds] {
            if let plaintext = try? AES.GCM.open(box, using: try key(passphrase, salt: salt, rounds: count)) { return plaintext }
        }
        throw WrongPassphrase()
    }

    private static func key(_ passphrase: String, salt: Data, rounds: Int) throws -> SymmetricKey {
        try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(passphrase.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
    }
}

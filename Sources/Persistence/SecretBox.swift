package import Crypto
package import Foundation
import GRDB

/// Encrypts secrets that must be recoverable (Proxmox passwords, SMTP passwords) with
/// AES-256-GCM under the key in `<data>/.encryption.key`.
///
/// The key file holds base64 of 32 random bytes, mode 0600, created on first start. A sealed
/// value is `nonce(12) ‖ ciphertext ‖ tag(16)`, the layout Pulse uses for its `.enc` files.
package struct SecretBox: Sendable {
    package struct KeyError: Error, CustomStringConvertible {
        package let description: String
    }

    private let key: SymmetricKey

    package init(key: SymmetricKey) {
        self.key = key
    }

    /// Loads the key file, or creates it when absent. Refuses to create a new key while sealed
    /// secrets exist, because a new key would silently make them unreadable.
    package static func loadOrCreate(path: String, sealedSecretsExist: Bool) throws -> SecretBox {
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw KeyError(description: "\(path) does not hold base64 of 32 bytes")
            }
            return SecretBox(key: SymmetricKey(data: bytes))
        }
        guard !sealedSecretsExist else {
            throw KeyError(description: "\(path) is missing but encrypted secrets exist; restore the key file instead of starting with a new one")
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        try AtomicFile.write(Data(encoded.utf8), to: path, mode: 0o600)
        return SecretBox(key: key)
    }

    package func seal(_ plaintext: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key).combined else {
            throw KeyError(description: "AES-GCM produced no combined box")
        }
        return combined
    }

    package func open(_ sealed: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
    }
}

/// Named secrets stored sealed in the database.
package struct SecretStore: Sendable {
    package let database: PulseDatabase
    package let box: SecretBox

    package func put(_ value: String, named name: String, at time: Date) throws {
        let sealed = try box.seal(Data(value.utf8))
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO sealedSecret (name, sealed, updatedAt) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, updatedAt = excluded.updatedAt",
                arguments: [name, sealed, time])
        }
    }

    package func get(_ name: String) throws -> String? {
        let sealed = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed FROM sealedSecret WHERE name = ?", arguments: [name])
        }
        return try sealed.map { String(decoding: try box.open($0), as: UTF8.self) }
    }

    package func remove(_ name: String) throws {
        _ = try database.write { db in
            try db.execute(sql: "DELETE FROM sealedSecret WHERE name = ?", arguments: [name])
        }
    }

    package static func anyExist(in database: PulseDatabase) throws -> Bool {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM sealedSecret) + (SELECT COUNT(*) FROM proxmoxInstance)") ?? 0
        } > 0
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(database: PulseDatabase, box: SecretBox) {
        self.database = database
        self.box = box
    }
}

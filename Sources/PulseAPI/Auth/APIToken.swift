package import AgentProtocol
import Crypto
package import Foundation
import PulseCore
import PulseSupport

/// A stored API token: everything but the token itself, which exists only in the caller's hands.
///
/// Only `hex(SHA3-256(raw))` is kept; `prefix` (first 6 characters) and `suffix` (last 4) let
/// people recognise a token in lists without the list revealing it.
package struct APITokenRecord: Sendable, Equatable, Codable {
    package let id: String
    package var name: String
    package let hash: String
    package let prefix: String
    package let suffix: String
    package var scopes: [Scope]
    package let createdAt: Date
    package var lastUsedAt: Date?

    /// `prefix…suffix`, the hint shown wherever the token is referred to.
    package var hint: String { "\(prefix)…\(suffix)" }
}

/// Minting and hashing of raw tokens.
package enum APIToken {
    /// A new raw token: 32 CSPRNG bytes as 64 lowercase hex characters, no prefix (Pulse's
    /// format, which its `install.sh` validates).
    package static func generate() -> String {
        RandomHex.make(byteCount: 32)
    }

    /// True for the canonical format: exactly 64 hex characters.
    static func isCanonical(_ raw: String) -> Bool {
        raw.utf8.count == 64 && raw.utf8.allSatisfy { $0.isHexDigit }
    }

    /// `hex(SHA3-256(raw))`, the only form in which a token is stored.
    package static func hash(_ raw: String) -> String {
        SHA3_256.hash(data: Data(raw.utf8)).hexString
    }

    /// A record for `raw` with hints taken from it.
    package static func record(for raw: String, name: String, scopes: [Scope], createdAt: Date) -> APITokenRecord {
        APITokenRecord(
            id: UUID().uuidString.lowercased(), name: name, hash: hash(raw),
            prefix: String(raw.prefix(6)), suffix: String(raw.suffix(4)),
            scopes: scopes, createdAt: createdAt, lastUsedAt: nil)
    }
}

extension UInt8 {
    package var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}

extension ReportingToken {
    /// What the state keeps of the token that sent a report.
    package init(_ record: APITokenRecord) {
        self.init(id: record.id, name: record.name, hint: record.hint, scopes: record.scopes)
    }
}

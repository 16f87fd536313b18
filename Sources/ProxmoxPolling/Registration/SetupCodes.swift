import Crypto
package import Foundation
package import PulseSupport

/// One-time setup codes for Proxmox auto-registration (`POST /api/setup-script-url`).
///
/// A code is 128 random bits in hex, kept only as its SHA3-256 hash, bound to the product and
/// host it was made for, valid for 5 minutes and consumed by its first successful use.
package actor SetupCodes {
    package struct Entry: Sendable {
        package var product: ProxmoxProduct
        package var host: String
        package var expires: Date
    }

    package static let lifetime: TimeInterval = 300

    private let time: any TimeSource
    private var entries: [String: Entry] = [:]

    package init(time: any TimeSource) {
        self.time = time
    }

    /// A new code for `product` at `host` (normalised); returns the raw code and its expiry.
    package func issue(product: ProxmoxProduct, host: String) -> (code: String, expires: Date) {
        purgeExpired()
        let code = RandomHex.make(byteCount: 16)
        let expires = time.now().addingTimeInterval(Self.lifetime)
        entries[Self.hash(code)] = Entry(product: product, host: host, expires: expires)
        return (code, expires)
    }

    /// Consumes `code` if it is valid for `product` and `host`; false otherwise (unknown,
    /// expired, used, or made for another target). A code for another target stays usable.
    package func consume(_ code: String, product: ProxmoxProduct, host: String) -> Bool {
        purgeExpired()
        let key = Self.hash(code.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
        guard let entry = entries[key], entry.product == product, entry.host == host else { return false }
        entries[key] = nil
        return true
    }

    private func purgeExpired() {
        let now = time.now()
        entries = entries.filter { $0.value.expires > now }
    }

    private static func hash(_ code: String) -> String {
        SHA3_256.hash(data: Data(code.utf8)).hexString
    }
}

/// An IPv4 network in CIDR notation (`192.168.1.0/24`), with its addresses as 32-bit numbers so
/// a scan can walk them.
package struct IPv4Network: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    package let base: UInt32
    package let prefix: Int

    /// The network holding `address`, its host bits cleared.
    package init(containing address: UInt32, prefix: Int) {
        self.prefix = min(32, max(0, prefix))
        base = address & Self.mask(self.prefix)
    }

    /// Strict CIDR: four decimal octets (no leading zeros, none above 255), `/` and a prefix length
    /// from 0 to 32, with no host bits set. Nil for anything else.
    package init?(cidr text: Substring) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.address(parts[0]), let prefix = Self.decimal(parts[1], maximum: 32) else { return nil }
        guard address & Self.mask(prefix) == address else { return nil }
        self.base = address
        self.prefix = prefix
    }

    /// How many addresses the network spans, network and broadcast included.
    package var size: Int { 1 << (32 - prefix) }

    /// The addresses a host can have: all but the network and broadcast addresses, except in a
    /// /31 (two hosts, RFC 3021) or a /32 (one).
    package var hosts: [UInt32] {
        guard prefix < 31 else { return (0..<UInt32(size)).map { base + $0 } }
        return (1..<UInt32(size - 1)).map { base + $0 }
    }

    /// Whether every address of `other` lies in this network.
    package func contains(_ other: IPv4Network) -> Bool {
        other.prefix >= prefix && other.base & Self.mask(prefix) == base
    }

    package func contains(address: UInt32) -> Bool { address & Self.mask(prefix) == base }

    package var description: String { "\(Self.text(base))/\(prefix)" }

    /// Dotted-decimal text of an address.
    package static func text(_ address: UInt32) -> String {
        [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }

    /// An address in strict dotted-decimal form (what `text` writes); nil for anything else.
    package static func address(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let number = decimal(octet, maximum: 255) else { return nil }
            value = value << 8 | UInt32(number)
        }
        return value
    }

    private static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix) }

    /// 1–3 ASCII digits without a leading zero (octal in some parsers), at most `maximum`.
    private static func decimal(_ text: Substring, maximum: Int) -> Int? {
        guard (1...3).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            text.utf8.count == 1 || text.utf8.first != 0x30, let number = Int(text), number <= maximum
        else { return nil }
        return number
    }
}

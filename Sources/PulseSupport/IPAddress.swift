package import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
package struct IPAddress: Equatable, Sendable {
    package var bytes: [UInt8]

    /// 4 bytes (IPv4) or 16 (IPv6).
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    package init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    package init?(sockaddr pointer: UnsafeMutablePointer<sockaddr>?) {
        guard let pointer else { return nil }
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            bytes = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                var a = $0.pointee.sin_addr
                return withUnsafeBytes(of: &a) { Array($0) }
            }
        case AF_INET6:
            bytes = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                var a = $0.pointee.sin6_addr
                return withUnsafeBytes(of: &a) { Array($0) }
            }
        default:
            return nil
        }
    }

    package var text: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = bytes
        _ = inet_ntop(bytes.count == 4 ? AF_INET : AF_INET6, &copy, &buffer, socklen_t(buffer.count))
        return String(cString: buffer)
    }

    /// `127.0.0.0/8` or `::1`, also as an IPv4-mapped IPv6 address: this machine itself.
    package var isLoopback: Bool {
        if let inner = embeddedIPv4, bytes[0..<10].allSatisfy({ $0 == 0 }) { return inner.isLoopback }
        switch bytes.count {
        case 4: return bytes[0] == 127
        case 16: return bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
        default: return false
        }
    }

    /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) one.
    var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        let nat64 = bytes[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
        guard mapped || nat64 else { return nil }
        var v4 = self
        v4.bytes = Array(bytes[12..<16])
        return v4
    }
}

/// A CIDR range such as `10.0.0.0/8` or `fd00::/8`.
package struct IPRange: Sendable {
    package var network: IPAddress
    package var prefix: Int

    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        // `split` drops empty pieces: "" and "/" have no parts at all.
        guard let first = parts.first, let address = IPAddress(String(first)) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : address.bytes.count * 8
        guard let length, (0...(address.bytes.count * 8)).contains(length) else { return nil }
        network = address
        prefix = length
    }

    package func contains(_ address: IPAddress) -> Bool {
        let candidate = address.bytes.count == network.bytes.count ? address : (address.embeddedIPv4 ?? address)
        guard candidate.bytes.count == network.bytes.count else { return false }
        var remaining = prefix
        for index in network.bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if candidate.bytes[index] & mask != network.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    static let privateRanges = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96", "64:ff9b:1::/48",
    ].compactMap(IPRange.init)

    /// Loopback, private, shared (CGNAT), link-local, multicast, reserved, or NAT64 — also when
    /// wrapped in an IPv4-mapped or NAT64 IPv6 address.
    package static func isPrivate(_ address: IPAddress) -> Bool {
        if let inner = address.embeddedIPv4, isPrivate(inner) { return true }
        return privateRanges.contains { $0.contains(address) }
    }
}

package import NIOCore
import SwiftGlibc

/// One client for the connection caps: an IPv4 address, or the /64 an IPv6 address belongs to
/// (a host, or a whole LAN, gets a /64, so counting single IPv6 addresses would let one client
/// open as many connections as it has addresses). An IPv4-mapped IPv6 address counts as its IPv4.
package struct ClientAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4), 8 bytes (an IPv6 /64), or none for a peer without an IP address.
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    package init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            var raw = v4.address.sin_addr
            bytes = withUnsafeBytes(of: &raw) { Array($0) }
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let all = withUnsafeBytes(of: &raw) { Array($0) }
            let mapped = all[0..<10].allSatisfy { $0 == 0 } && all[10] == 0xff && all[11] == 0xff
            bytes = mapped ? Array(all[12..<16]) : Array(all[0..<8])
        default:
            bytes = []
        }
    }

    package var description: String {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 8:
            let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":") + "::/64"
        default:
            return "unknown"
        }
    }
}

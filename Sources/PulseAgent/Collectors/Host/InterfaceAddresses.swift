#if canImport(Glibc)
import Glibc
#endif

/// The IPv4 and IPv6 addresses of every interface, as `address/prefix`, from `getifaddrs`.
enum InterfaceAddresses {
    static func current() -> [String: [String]] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0, let first else { return [:] }
        defer { freeifaddrs(first) }
        var result: [String: [String]] = [:]
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, let text = format(address), let name = entry.pointee.ifa_name else { continue }
            let prefix = entry.pointee.ifa_netmask.map(prefixLength) ?? 0
            result[String(cString: name), default: []].append("\(text)/\(prefix)")
        }
        return result
    }

    private static func format(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)).map { _ in String(cString: buffer) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { _ in String(cString: buffer) }
            }
        default:
            return nil
        }
    }

    /// The number of leading one bits of a netmask.
    private static func prefixLength(_ mask: UnsafeMutablePointer<sockaddr>) -> Int {
        switch Int32(mask.pointee.sa_family) {
        case AF_INET:
            return mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr).nonzeroBitCount }
        case AF_INET6:
            return mask.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
            }
        default:
            return 0
        }
    }
}

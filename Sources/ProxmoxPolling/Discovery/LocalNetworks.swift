import PulseCore
package import PulseSupport

#if canImport(Glibc)
import Glibc
#endif

/// What `auto` scans: the networks of this machine's own private IPv4 addresses.
package enum LocalNetworks {
    /// The /24 around each private, non-loopback IPv4 address of this machine's interfaces (its
    /// own network when narrower), in `DiscoverySubnet`'s ranges and within its address bound.
    package static func current() -> [IPv4Network] {
        networks(around: interfaceAddresses())
    }

    /// The networks `auto` scans for these interface addresses (address, prefix length).
    package static func networks(around addresses: [(address: UInt32, prefix: Int)]) -> [IPv4Network] {
        let loopback = IPv4Network(containing: 0x7F00_0000, prefix: 8)
        var networks: [IPv4Network] = []
        var total = 0
        for (address, prefix) in addresses where !loopback.contains(address: address) {
            let network = IPv4Network(containing: address, prefix: max(24, prefix))
            guard DiscoverySubnet.allowedRanges.contains(where: { $0.contains(network) }), !networks.contains(network),
                total + network.size <= DiscoverySubnet.maximumAddresses
            else { continue }
            networks.append(network)
            total += network.size
        }
        return networks
    }

    /// Every IPv4 address of every interface that is up, with its prefix length.
    private static func interfaceAddresses() -> [(address: UInt32, prefix: Int)] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var result: [(address: UInt32, prefix: Int)] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let item = entry.pointee
            guard item.ifa_flags & UInt32(IFF_UP) != 0, let address = item.ifa_addr, let mask = item.ifa_netmask,
                Int32(address.pointee.sa_family) == AF_INET
            else { continue }
            let host = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            let bits = mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            result.append((host, bits.nonzeroBitCount))
        }
        return result
    }
}

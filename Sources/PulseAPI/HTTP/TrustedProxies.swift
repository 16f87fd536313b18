package import PulseSupport

/// The reverse proxies whose forwarding headers are believed (`PULSE_TRUSTED_PROXY_CIDRS`,
/// Pulse's name). A request from any other peer is the peer itself, whatever `X-Forwarded-For`
/// or `X-Real-IP` it carries: those headers are the client's to forge.
package struct TrustedProxies: Sendable {
    package let ranges: [IPRange]

    package static let none = TrustedProxies(ranges: [])

    /// Parses a comma- or space-separated list of CIDRs (a bare address is a /32 or /128);
    /// throws naming the entry that is not one.
    package init(parsing text: String) throws(InvalidRange) {
        var ranges: [IPRange] = []
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let range = IPRange(String(entry)) else { throw InvalidRange(entry: String(entry)) }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    package init(ranges: [IPRange]) {
        self.ranges = ranges
    }

    package struct InvalidRange: Error, CustomStringConvertible {
        package let entry: String
        package var description: String { "'\(entry)' is not a CIDR range or an IP address" }
    }

    func isTrusted(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: the peer unless the peer is a trusted proxy; then the nearest
    /// address in `X-Forwarded-For` (read from the right) that is not itself a trusted proxy,
    /// else `X-Real-IP`. Entries that are not addresses end the walk at the last good one.
    func clientAddress(peer: String, forwardedFor: [String], realIP: String?) -> String {
        guard !ranges.isEmpty, let peerAddress = IPAddress(peer), isTrusted(peerAddress) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0).trimmingWhitespace }
        var nearest = peer
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { return nearest }
            nearest = address.text
            if !isTrusted(address) { return nearest }
        }
        if hops.isEmpty, let realIP, let address = IPAddress(realIP.trimmingWhitespace) { return address.text }
        return nearest
    }

    /// Whether the request comes from this machine, for what only a local operator may do
    /// (recovery). Stricter than `clientAddress`, which settles an address to count and record:
    /// - the socket's peer must be loopback: a proxy on another host cannot vouch for this one;
    /// - from a peer that is not a trusted proxy, any forwarding header (`X-Forwarded-For`,
    ///   `X-Real-IP`, `Forwarded`) disqualifies: a local proxy nobody declared may be relaying a
    ///   remote client, and the headers are the client's to forge;
    /// - from a trusted proxy, the client it forwarded must be loopback, every forwarded entry
    ///   must be an address, and a proxy that forwards no client does not count as one.
    func isLoopbackClient(peer: String?, forwardedFor: [String], realIP: String?, forwarded: String?) -> Bool {
        guard let peer, let peerAddress = IPAddress(peer), peerAddress.isLoopback else { return false }
        guard isTrusted(peerAddress) else { return forwardedFor.isEmpty && realIP == nil && forwarded == nil }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0).trimmingWhitespace }
        if hops.isEmpty {
            guard let realIP else { return false }
            return IPAddress(realIP.trimmingWhitespace)?.isLoopback == true
        }
        guard hops.allSatisfy({ IPAddress($0) != nil }) else { return false }
        return IPAddress(clientAddress(peer: peer, forwardedFor: forwardedFor, realIP: realIP))?.isLoopback == true
    }
}

extension TrustedProxies {
    /// Whether connections from `client` come from a trusted proxy (an IPv6 client by its /64).
    package func contains(_ client: ClientAddress) -> Bool {
        switch client.bytes.count {
        case 4: return isTrusted(IPAddress(bytes: client.bytes))
        case 8: return isTrusted(IPAddress(bytes: client.bytes + [UInt8](repeating: 0, count: 8)))
        default: return false
        }
    }
}

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

package import PulseSupport

/// What a network discovery scan covers, as the `discoverySubnet` setting and `POST /api/discover`
/// write it: `auto` (this machine's own private IPv4 networks) or comma-separated IPv4 networks
/// in strict CIDR notation.
///
/// Discovery is for the LAN: every network must lie inside a private range (RFC 1918's 10/8,
/// 172.16/12 and 192.168/16, the shared 100.64/10 that VPN overlays use) or loopback (127/8, this
/// machine itself), and all of them together span at most `maximumAddresses` — one /20, or
/// sixteen /24s. Each address is probed on two ports with a one-second connect timeout, 128 probes
/// at a time, so that bound is also the bound on how long a scan takes where nothing answers.
package enum DiscoverySubnet: Sendable, Equatable, CustomStringConvertible {
    case auto
    case networks([IPv4Network])

    package static let maximumAddresses = 4096

    /// The ranges a scanned network must lie in.
    package static let allowedRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8"]
        .compactMap { IPv4Network(cidr: $0[...]) }

    /// Parses `text` (spaces around items ignored); a value breaking the rules throws naming `field`.
    package static func parse(_ text: String, field: String) throws(DomainError) -> DiscoverySubnet {
        let trimmed = text.trimmingWhitespace
        if trimmed.lowercased() == "auto" { return .auto }
        let items = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace }
        guard !trimmed.isEmpty, items.allSatisfy({ !$0.isEmpty }) else {
            throw DomainError.invalid("\(field) must be auto or comma-separated IPv4 networks such as 192.168.1.0/24", field: field)
        }
        var networks: [IPv4Network] = []
        for item in items {
            guard let network = IPv4Network(cidr: item[...]) else {
                throw DomainError.invalid(
                    "\(field) must list IPv4 networks in CIDR notation with no host bits set, such as 192.168.1.0/24", field: field)
            }
            guard allowedRanges.contains(where: { $0.contains(network) }) else {
                throw DomainError.invalid(
                    "\(field): \(network) is not a private network (10/8, 172.16/12, 192.168/16, 100.64/10 or loopback 127/8)", field: field)
            }
            if !networks.contains(network) { networks.append(network) }
        }
        guard networks.reduce(0, { $0 + $1.size }) <= maximumAddresses else {
            throw DomainError.invalid("\(field) spans more than \(maximumAddresses) addresses (one /20 or sixteen /24s)", field: field)
        }
        return .networks(networks)
    }

    /// The normalised text: `auto` or the networks joined by commas.
    package var description: String {
        switch self {
        case .auto: "auto"
        case .networks(let networks): networks.map(\.description).joined(separator: ",")
        }
    }
}

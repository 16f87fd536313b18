import Foundation

#if canImport(Glibc)
import Glibc
import PulseSupport
#endif

/// Checks a URL before Pulse sends anything to it (webhooks, Apprise servers): HTTP or HTTPS, no
/// credentials in the URL, and every address its host resolves to public — unless the admin
/// allowed that private range. The checked addresses are handed to libcurl (`resolve`), so the
/// request goes where the check looked, whatever a second DNS answer says.
package struct OutboundTarget: Sendable {
    /// The URL as given.
    package var url: String
    /// `host:port:address` entries for `CurlClient.resolve`.
    package var resolve: [String]

    package struct Refused: Error, CustomStringConvertible {
        package let description: String
    }

    package static func check(_ text: String, allowing allowed: [String]) throws -> OutboundTarget {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { throw Refused(description: "the URL must be http:// or https:// with a host") }
        if components.user != nil || components.password != nil {
            throw Refused(description: "credentials in the URL are refused; use a header or the service's token field")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return OutboundTarget(url: text, resolve: try checkHost(host, port: port, allowing: allowed))
    }

    /// Resolves `host` and refuses it when an address is private and not in `allowed`; returns
    /// the `host:port:address` entries to pin the connection to (any protocol: SMTP too).
    static func checkHost(_ host: String, port: Int, allowing allowed: [String]) throws -> [String] {
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses = try resolve(bareHost)
        guard !addresses.isEmpty else { throw Refused(description: "\(host) does not resolve") }
        let ranges = try allowed.map { text -> IPRange in
            guard let range = IPRange(text) else { throw Refused(description: "\(text) is not a CIDR range") }
            return range
        }
        for address in addresses where IPRange.isPrivate(address) && !ranges.contains(where: { $0.contains(address) }) {
            throw Refused(
                description:
                    "\(host) resolves to \(address.text), a private, loopback or link-local address; allow its range in allowedPrivateTargets to send there"
            )
        }
        return addresses.map { address in "\(bareHost):\(port):\(address.bytes.count == 16 ? "[\(address.text)]" : address.text)" }
    }

    private static func resolve(_ host: String) throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(result) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = IPAddress(sockaddr: entry.pointee.ai_addr), !addresses.contains(address) { addresses.append(address) }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}

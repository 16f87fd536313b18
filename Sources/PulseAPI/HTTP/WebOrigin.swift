import Foundation

/// A web origin (RFC 6454): scheme, host and port, as a browser sends it in `Origin`. Scheme
/// and host are lower-cased and a default port is spelled out, so equal origins compare equal.
package struct WebOrigin: Hashable, Sendable, CustomStringConvertible {
    package let scheme: String
    /// The host name or address; an IPv6 address keeps its brackets.
    package let host: String
    package let port: Int

    /// Parses `scheme://host[:port]`, as in `Origin` and `ALLOWED_ORIGINS` (a trailing `/` is
    /// tolerated); `null`, credentials, a path, a query and schemes other than http(s) are not origins.
    package init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        var authority = text[separator.upperBound...]
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains(where: { "/?#@".contains($0) }) else { return nil }
        self.init(scheme: scheme, authority: String(authority))
    }

    /// The origin of a URL such as `PULSE_PUBLIC_URL`: its path, query and fragment are dropped.
    package init?(url text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let rest = text[separator.upperBound...]
        let authority = rest.prefix { !"/?#".contains($0) }
        guard !authority.contains("@") else { return nil }
        self.init(scheme: text[..<separator.lowerBound].lowercased(), authority: String(authority))
    }

    /// The origin a request reached: the scheme the server serves and the `Host` it names.
    package init?(scheme: String, authority: String) {
        guard scheme == "http" || scheme == "https", !authority.isEmpty else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = Substring(authority)
            portText = nil
        }
        let bracketed = authority.hasPrefix("[")
        guard !host.isEmpty, !host.contains(" "), bracketed || !host.contains(":") else { return nil }
        var port = defaultPort
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = Int(portText), (1...65535).contains(parsed) else { return nil }
            port = parsed
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    package var description: String {
        let defaultPort = scheme == "https" ? 443 : 80
        return port == defaultPort ? "\(scheme)://\(host)" : "\(scheme)://\(host):\(port)"
    }
}

import Foundation

/// A host as Pulse accepts one wherever it can end up in a generated script or command, or in
/// a URL the server calls: a DNS name, an IPv4 address or a bracketed IPv6 literal, with an
/// optional `:port` and an optional `http://` or `https://` in front (and one trailing `/`).
///
/// Everything else is refused before it is used: whitespace, control and non-ASCII characters
/// (CR, LF, U+2028, U+0085), quotes, `$`, backticks, `;`, `&`, `|`, `%` (so no percent-encoding
/// survives a second decoding), user info, paths, queries and fragments.
package struct HostAddress: Sendable, Equatable, CustomStringConvertible {
    package enum Scheme: String, Sendable {
        case http, https
    }

    /// Nil when the text named none.
    package let scheme: Scheme?
    /// Lower-cased; an IPv6 literal keeps its brackets.
    package let host: String
    package let port: Int?

    /// `host[:port]`.
    package var authority: String { host + (port.map { ":\($0)" } ?? "") }

    /// `[scheme://]host[:port]`, the normalised form.
    package var description: String { (scheme.map { "\($0.rawValue)://" } ?? "") + authority }

    /// Parses `raw` (surrounding spaces ignored); throws `InvalidField` naming `field`.
    package static func parse(_ raw: String?, field: String) throws(InvalidField) -> HostAddress {
        let grammar = "\(field) must be a DNS name, an IPv4 address or a bracketed IPv6 address, with an optional :port and http:// or https://"
        var text = Substring(raw ?? "")
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        guard !text.isEmpty else { throw InvalidField(field, "\(field) is required") }
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw InvalidField(field, "\(field) must not contain spaces, control characters or non-ASCII characters")
        }
        let scheme = [Scheme.http, .https].first { text.lowercased().hasPrefix($0.rawValue + "://") }
        if let scheme {
            text = text.dropFirst(scheme.rawValue.count + 3)
        } else if text.contains("://") {
            throw InvalidField(field, "\(field) must use http:// or https://")
        }
        if text.last == "/" { text.removeLast() }

        let hostPart: Substring
        var portPart: Substring?
        if text.first == "[" {
            guard let close = text.firstIndex(of: "]") else { throw InvalidField(field, grammar) }
            hostPart = text[...close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { throw InvalidField(field, grammar) }
                portPart = rest.dropFirst()
            }
            guard isIPv6Literal(hostPart.dropFirst().dropLast()) else { throw InvalidField(field, grammar) }
        } else {
            let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw InvalidField(field, "\(field): an IPv6 address must be written in brackets, as [fd00::1]") }
            hostPart = pieces[0]
            portPart = pieces.count == 2 ? pieces[1] : nil
            guard isDNSName(hostPart) || isIPv4(hostPart) else { throw InvalidField(field, grammar) }
        }
        var port: Int?
        if let portPart {
            guard (1...5).contains(portPart.count), portPart.allSatisfy(\.isASCIIDigit), let number = Int(portPart), (1...65535).contains(number)
            else {
                throw InvalidField(field, "\(field): the port must be a number from 1 to 65535")
            }
            port = number
        }
        return HostAddress(scheme: scheme, host: hostPart.lowercased(), port: port)
    }

    /// Letters, digits and inner hyphens in labels of 1–63 characters, 253 in all; a name made
    /// of digits and dots only must be an IPv4 address instead.
    private static func isDNSName(_ text: Substring) -> Bool {
        guard (1...253).contains(text.count) else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }
        }
    }

    /// Four decimal numbers from 0 to 255.
    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.count) && part.allSatisfy(\.isASCIIDigit) && Int(part).map { $0 <= 255 } == true
            }
    }

    /// Hex digits, colons and dots (an embedded IPv4 tail) that the C library reads as an IPv6
    /// address; zone IDs (`%eth0`) are not accepted.
    private static func isIPv6Literal(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        var address = in6_addr()
        return inet_pton(AF_INET6, String(text), &address) == 1
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}

import CurlHTTP

/// A registry's `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge: where to
/// ask for a token, and for what.
struct BearerChallenge: Equatable, Sendable {
    /// The token endpoint, an absolute http(s) URL.
    var realm: String
    var service: String?
    var scope: String?

    /// Parses the header value; nil when it is not a Bearer challenge, has no realm, or holds a
    /// CR, LF or NUL (a value that would end up in a request line).
    init?(header: String) {
        // By bytes: "\r\n" is a single Character, which a character comparison would miss.
        guard !header.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else { return nil }
        var rest = Substring(header).drop { $0 == " " || $0 == "\t" }
        guard rest.prefix(6).lowercased() == "bearer", rest.dropFirst(6).first.map({ $0 == " " || $0 == "\t" }) ?? false else {
            return nil
        }
        rest = rest.dropFirst(6)
        var parameters: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingASCIIWhitespace.lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.popFirst() {
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let token = rest.prefix { $0 != "," }
                value = token.trimmingASCIIWhitespace
                rest = rest.dropFirst(token.count)
            }
            if parameters[name] == nil { parameters[name] = value }
        }
        guard let realm = parameters["realm"], !realm.isEmpty else { return nil }
        self.realm = realm
        service = parameters["service"].flatMap { $0.isEmpty ? nil : $0 }
        scope = parameters["scope"].flatMap { $0.isEmpty ? nil : $0 }
    }

    init(realm: String, service: String? = nil, scope: String? = nil) {
        self.realm = realm
        self.service = service
        self.scope = scope
    }

    /// The token request's URL: the realm with `service` and `scope` (`repository:NAME:pull`
    /// when the challenge names none) as query parameters. Nil when the realm is not an http(s)
    /// URL with a host, or is plain http while `allowPlainHTTP` is false: a registry decides
    /// where the agent sends a request, so it may only name a web address, never a file or
    /// another protocol, and never downgrade a TLS registry to plain HTTP.
    func tokenURL(repository: String, allowPlainHTTP: Bool) -> String? {
        let lower = realm.lowercased()
        let schemeLength: Int
        if lower.hasPrefix("https://") {
            schemeLength = 8
        } else if lower.hasPrefix("http://"), allowPlainHTTP {
            schemeLength = 7
        } else {
            return nil
        }
        let host = realm.dropFirst(schemeLength).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !host.contains("@"), !realm.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            return nil
        }
        var query: [String] = []
        if let service { query.append("service=" + Self.percentEncoded(service)) }
        query.append("scope=" + Self.percentEncoded(scope ?? "repository:\(repository):pull"))
        let base = realm.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? realm
        return base + (base.contains("?") ? "&" : "?") + query.joined(separator: "&")
    }

    /// RFC 3986 unreserved characters kept, everything else %-encoded.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                result.append(character)
            } else {
                let hex = Array("0123456789ABCDEF")
                result += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}

import Foundation

/// Values built to break out of a shell script: each one, if any shell ever ran part of it as
/// code, would create `canary`. Line breaks of every kind (LF, CR, CRLF, U+2028, U+0085), both
/// quotes, `$()`, backticks, `;`, `&&`, `|` and NUL, each as it is, percent-encoded and
/// percent-encoded twice (for a decoder that decodes once more than it should).
struct HostileInputCorpus {
    let canary: String

    /// The payloads as they are; `prefix` goes in front (a scheme, or a plausible host).
    func payloads(prefix: String = "pve1.lan") -> [String] {
        let touch = "touch \(canary)"
        return [
            "\(prefix)\nid>\(canary)\n#",
            "\(prefix)\r\(touch)\r",
            "\(prefix)\r\n\(touch)\r\n#",
            "\(prefix)\u{2028}\(touch)\u{2028}#",
            "\(prefix)\u{0085}\(touch)\u{0085}#",
            "\(prefix)'; \(touch); '",
            "\(prefix)'\n\(touch)\n'",
            "\(prefix)\"; \(touch); \"",
            "\(prefix)$(\(touch))",
            "\(prefix)`\(touch)`",
            "\(prefix);\(touch)",
            "\(prefix) && \(touch)",
            "\(prefix)|\(touch)",
            "\(prefix)\0\n\(touch)\n",
        ]
    }

    /// Every payload raw, percent-encoded and percent-encoded twice; a leading `scheme://` stays
    /// as it is, so a URL still looks like one (the shape of `https://x%0Aid%3EFILE%0A%23`, which
    /// a host parser that decodes its host turns into lines of their own).
    func values(prefix: String = "pve1.lan") -> [String] {
        payloads(prefix: prefix).flatMap { raw in
            let once = Self.percentEncodedAfterScheme(raw)
            return [raw, once, Self.percentEncodedAfterScheme(once)]
        }
    }

    static func percentEncodedAfterScheme(_ text: String) -> String {
        guard let range = text.range(of: "://") else { return percentEncoded(text) }
        return String(text[..<range.upperBound]) + percentEncoded(String(text[range.upperBound...]))
    }

    /// Every byte outside RFC 3986's unreserved set as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { kept.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    /// `value` in a query string, so that the server decodes exactly `value` once.
    static func queryValue(_ value: String) -> String { percentEncoded(value) }

    /// A JSON object with string fields (NUL and line breaks escaped as JSON requires).
    static func json(_ fields: [String: String]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }
}

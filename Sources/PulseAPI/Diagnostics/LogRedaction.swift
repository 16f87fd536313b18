/// The last line of defence for what the server writes about itself: log lines leave the process
/// (`/api/logs/*`, the diagnostics bundle) only through `redact`, which blanks anything shaped
/// like a credential even where a caller logged one by mistake.
package enum LogRedaction {
    package static let mask = "[redacted]"

    /// `text` with secrets replaced by `mask`: values of secret-named keys (`password=…`,
    /// `"token": "…"`), bearer and basic credentials, URL user-info passwords, and runs of 32 or more
    /// hex or base64url characters (API tokens, session IDs, keys).
    package static func redact(_ text: String) -> String {
        var result = text
        result.replace(#/(?i)((?:password|passwd|secret|token|api[_-]?key|authorization|cookie|credential)[a-z_]*["']?\s*[:=]\s*["']?)([^\s"',;&]+)/#)
        {
            "\($0.output.1)\(mask)"
        }
        result.replace(#/(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+\/=-]{8,}/#) { "\($0.output.1) \(mask)" }
        result.replace(#/(\w+:\/\/[^\/\s:@]+:)[^@\s\/]+@/#) { "\($0.output.1)\(mask)@" }
        result.replace(#/[A-Za-z0-9_-]{32,}/#) { match in
            // A long word of letters alone is prose (or a path); a credential mixes in digits.
            match.output.contains(where: \.isNumber) ? Substring(mask) : match.output
        }
        return result
    }
}

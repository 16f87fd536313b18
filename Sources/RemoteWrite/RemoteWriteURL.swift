import Foundation

/// Checks on the receiver's URL that need no network.
package enum RemoteWriteURL {
    /// A reason the URL cannot be used, nil when it can: http or https, a host, no user
    /// information, no whitespace or control characters.
    package static func problem(_ url: String) -> String? {
        guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            return "must not contain spaces or control characters"
        }
        let lowered = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowered.hasPrefix($0) }) else { return "must be an http:// or https:// URL" }
        let authority = url.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            return "must not carry a user or password (they would be in argv and logs): use PULSE_REMOTE_WRITE_USERNAME and _PASSWORD_FILE"
        }
        guard !authority.isEmpty, !authority.hasPrefix(":") else { return "has no host" }
        return nil
    }

    /// `url` with any `user:password@` removed from its authority (`problem` refuses such a URL;
    /// this keeps one set some other way out of diagnostics all the same).
    package static func withoutUserInformation(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}

import Foundation

/// The receiver's URL as diagnostics may show it.
package enum RemoteWriteURL {
    /// `url` with any `user:password@` removed from its authority (the server's settings refuse
    /// such a URL; this keeps one set some other way out of diagnostics all the same).
    package static func withoutUserInformation(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}

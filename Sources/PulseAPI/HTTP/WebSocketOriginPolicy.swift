/// Which web pages may open a WebSocket to this server.
///
/// A browser sends its session cookie with a WebSocket upgrade from any site and, unlike a
/// `fetch`, no CORS check stops the page from reading what comes back; the `Origin` header the
/// browser adds is what tells the pages apart. Allowed: the server's own origin (the scheme it
/// serves and the `Host` the request names), `PULSE_PUBLIC_URL`'s origin, and `ALLOWED_ORIGINS`.
/// A request without `Origin` comes from no browser (the agent, command-line clients) and is
/// allowed; its credentials are its own. So is one whose `Origin` has the scheme `ws` or `wss`:
/// a page's origin is never that (browsers send `http(s)` or `null`), only non-browser clients
/// such as swift-websocket's, which send the URL they connect to.
package struct WebSocketOriginPolicy: Sendable {
    /// `https` when the server serves TLS, else `http`.
    package let scheme: String
    /// `PULSE_PUBLIC_URL`'s origin and `ALLOWED_ORIGINS`.
    package let trusted: Set<WebOrigin>
    /// `ALLOWED_ORIGINS=*`: every page may connect (the start-up log warns about it).
    package let allowsEveryOrigin: Bool

    package init(usesTLS: Bool, publicURL: String?, allowedOrigins: [String]) {
        scheme = usesTLS ? "https" : "http"
        allowsEveryOrigin = allowedOrigins.contains("*")
        var trusted = Set(allowedOrigins.compactMap { WebOrigin($0) })
        if let publicURL, let origin = WebOrigin(url: publicURL) { trusted.insert(origin) }
        self.trusted = trusted
    }

    /// Whether a request with this `Origin` (nil when absent) that named `host` may upgrade.
    package func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        if allowsEveryOrigin { return true }
        let originScheme = origin.prefix { $0 != ":" }.lowercased()
        if originScheme == "ws" || originScheme == "wss" { return true }
        guard let parsed = WebOrigin(origin) else { return false }  // `null`: a sandboxed or local page
        if trusted.contains(parsed) { return true }
        guard let host, let own = WebOrigin(scheme: scheme, authority: host) else { return false }
        return parsed == own
    }
}

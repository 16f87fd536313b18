package import Foundation
package import Hummingbird

/// A bucket of requests that share one limit, with Pulse's categories.
package struct RateLimitCategory: Sendable, Hashable, CustomStringConvertible {
    package let name: String
    /// Requests allowed per window per key.
    package let limit: Int
    /// Window length in seconds.
    package let window: TimeInterval

    package var description: String { name }

    package static let authentication = RateLimitCategory(name: "auth", limit: 10, window: 60)
    static let configWrite = RateLimitCategory(name: "config", limit: 30, window: 60)
    static let export = RateLimitCategory(name: "export", limit: 5, window: 300)
    static let recovery = RateLimitCategory(name: "recovery", limit: 3, window: 600)
    package static let updates = RateLimitCategory(name: "updates", limit: 20, window: 60)
    static let webSocket = RateLimitCategory(name: "websocket", limit: 5, window: 60)
    static let downloads = RateLimitCategory(name: "downloads", limit: 60, window: 60)
    static let publicEndpoints = RateLimitCategory(name: "public", limit: 1000, window: 60)
    static let general = RateLimitCategory(name: "general", limit: 500, window: 60)
}

/// Decides which category a request falls in and what it is counted against.
///
/// Differences from Pulse, on purpose: agent reports (and an agent's update check) are counted per token (one NAT with a
/// thousand agents must not lock them all out of a per-IP bucket), with a limit sized for many
/// agents sharing one token; and loopback clients are not exempt (behind a reverse proxy on the
/// same host every client would be `127.0.0.1`: set `PULSE_TRUSTED_PROXY_CIDRS` instead).
package struct RateLimitPolicy: Sendable {
    /// Agent report budget per token per minute.
    var agentReportsPerTokenPerMinute: Int = 6000

    /// Paths never limited: the dashboard's polling target and guest metadata.
    static let exemptPaths: Set<String> = ["/api/state", "/api/guests/metadata"]

    /// What agents call on a schedule: their reports and the update check. With a valid token
    /// these are counted per token, like reports.
    static let agentPaths: Set<String> = [
        "/api/agents/host/report", "/api/agents/docker/report", "/api/agents/kubernetes/report", "/api/agent/version",
    ]

    /// The bucket key and category for a request, or nil when it is exempt.
    func classify(_ request: Request, context: PulseRequestContext) -> (key: String, category: RateLimitCategory)? {
        let path = request.uri.path
        if Self.exemptPaths.contains(path) || path.hasPrefix("/api/guests/metadata/") { return nil }
        if Self.agentPaths.contains(path), let token = context.authentication.token {
            let category = RateLimitCategory(name: "agent-report", limit: agentReportsPerTokenPerMinute, window: 60)
            return ("token:\(token.id)", category)
        }
        return ("ip:\(context.clientIP)", Self.category(method: request.method, path: path))
    }

    package static func category(method: HTTPRequest.Method, path: String) -> RateLimitCategory {
        let isWrite = !method.isSafe
        switch path {
        case "/api/login", "/api/logout", "/api/security/quick-setup", "/api/security/validate-bootstrap-token",
            "/api/security/change-password", "/api/security/reset-lockout", "/api/security/validate-token",
            "/api/security/regenerate-token":
            return .authentication
        case "/api/config/export", "/api/config/import":
            return .export
        case "/api/security/recovery":
            // The strict bucket guards issuing and redeeming recovery tokens; reading the status does neither.
            return isWrite ? .recovery : .general
        case "/ws", "/socket.io/":
            return .webSocket
        case "/api/health", "/api/version", "/api/security/status", "/api/agent/version", "/api/server/info",
            "/install.sh", "/install.ps1", "/uninstall-host-agent.sh":
            return .publicEndpoints
        default:
            break
        }
        if path.hasPrefix("/download/") { return .downloads }
        if path.hasPrefix("/api/updates/") { return .updates }
        if isWrite
            && (path.hasPrefix("/api/config/") || path.hasPrefix("/api/security/tokens")
                || path.hasPrefix("/api/system/") || path.hasPrefix("/api/notifications")
                || path.hasPrefix("/api/settings"))
        {
            return .configWrite
        }
        return .general
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(agentReportsPerTokenPerMinute: Int = 6000) {
        self.agentReportsPerTokenPerMinute = agentReportsPerTokenPerMinute
    }
}

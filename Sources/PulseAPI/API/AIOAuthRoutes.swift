import AgentProtocol
package import Assistant
import Foundation
import HTTPTypes
import Hummingbird

/// The Anthropic subscription sign-in endpoints, as Pulse v5 treats them now: Pulse no longer
/// supports signing in with a Claude subscription (an API key is the supported way), so
///
/// - `POST /api/ai/oauth/start`, `POST /api/ai/oauth/exchange` (`settings:write`): 410
///   `unsupported_anthropic_oauth` (Pulse answers 501; a 4xx here, as the sign-in was withdrawn and
///   no server fault is involved);
/// - `GET /api/ai/oauth/callback` (public, the provider's redirect): 307 to the settings page
///   with `ai_oauth_error` (the provider's own error, else `unsupported`); nothing is stored;
/// - `POST /api/ai/oauth/disconnect` (`settings:write`): removes any subscription tokens an
///   older version stored.
package struct AIOAuthRoutes {
    package let configuration: AIConfiguration
    package let audit: AuditLog

    package init(configuration: AIConfiguration, audit: AuditLog) {
        self.configuration = configuration
        self.audit = audit
    }

    struct Outcome: Encodable {
        let success: Bool
        let error: String?
        let message: String
    }

    static let unsupported = Outcome(
        success: false, error: "unsupported_anthropic_oauth",
        message: "Signing in with an Anthropic subscription is not supported; configure an Anthropic API key or another provider.")

    package func register(on routes: ScopedRouter) {
        for path in ["/api/ai/oauth/start", "/api/ai/oauth/exchange"] {
            routes.post(path, access: .scope(.settingsWrite)) { _, _ in
                JSONResponse(Self.unsupported, status: .gone)
            }
        }
        routes.get("/api/ai/oauth/callback", access: .open) { request, _ in
            let providerError = request.uri.queryParameters["error"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let value = FormEncoding.encode([("ai_oauth_error", String((providerError ?? "unsupported").prefix(100)))])
            return Response(status: .temporaryRedirect, headers: [.location: "/settings?\(value)", .cacheControl: "no-store"])
        }
        routes.post("/api/ai/oauth/disconnect", access: .scope(.settingsWrite)) { _, context in
            try await configuration.disconnectOAuth()
            audit.record("ai_oauth_disconnect", actor: context.authentication.actor, ip: context.clientIP)
            return JSONResponse(Outcome(success: true, error: nil, message: "OAuth disconnected successfully"))
        }
    }
}

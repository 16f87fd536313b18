import AgentProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET/POST /api/security/recovery`: the way back in for an operator locked out of Pulse, at
/// the server's own console (Pulse's recovery endpoint and its reply shapes).
///
/// - `generate_token` answers only a client on this machine (`isLoopbackClient`: a loopback peer,
///   and behind a trusted proxy a loopback client it forwarded). It returns a one-time recovery
///   token, valid for 15 minutes (`duration` asks for 1 to 60).
/// - `disable_auth` needs a recovery token (header `X-Recovery-Token` or `token` in the body) and
///   uses it up. For 15 minutes a loopback client without credentials is then an administrator;
///   the window closes by itself. Clients elsewhere are never let in by it.
/// - `enable_auth` closes the window early. It takes a recovery token, or a full administrator
///   (which a loopback client is while the window is open): turning authentication back on
///   grants nothing, and a second token would cost another of the three recovery requests that
///   ten minutes allow.
///
/// The status needs `settings:read`. The actions are public as far as `ScopedRouter` goes; the
/// checks above are the handler's. Each step is audited with the client address, never the token.
package struct RecoveryRoutes {
    package let recovery: RecoveryMode
    package let audit: AuditLog

    static let bodyLimit = 4096

    package struct Action: Decodable {
        let action: String?
        let token: String?
        /// Minutes the new token stays valid, 1 to 60 (`generate_token` only).
        let duration: Int?
    }

    package struct Status: Encodable, Sendable {
        /// Whether loopback clients are let in without credentials now (Pulse's `recovery_mode`).
        let recoveryMode: Bool
        /// When that ends; absent when it is not on.
        let authDisabledUntil: Date?
        let message: String

        enum CodingKeys: String, CodingKey {
            case recoveryMode = "recovery_mode", authDisabledUntil = "auth_disabled_until", message
        }
    }

    /// Pulse's reply (`success`, `message`, and for a new token `token` and `expires_in_minutes`),
    /// with the times spelled out.
    package struct Reply: Encodable, Sendable {
        let success: Bool
        let message: String
        /// The recovery token, shown this once (`generate_token`).
        var token: String?
        var expiresInMinutes: Int?
        var expiresAt: Date?
        var authDisabledUntil: Date?

        enum CodingKeys: String, CodingKey {
            case success, message, token, expiresInMinutes = "expires_in_minutes", expiresAt = "expires_at",
                authDisabledUntil = "auth_disabled_until"
        }
    }

    package func register(on routes: ScopedRouter) {
        // Shown to callers who read settings, which a loopback client is while the window is open.
        routes.get("/api/security/recovery", access: .scope(.settingsRead)) { _, _ in
            let until = await recovery.status().authDisabledUntil
            return JSONResponse(
                Status(
                    recoveryMode: until != nil, authDisabledUntil: until,
                    message: until == nil
                        ? "Authentication is on" : "Authentication is off for clients on this machine until the time shown"))
        }

        routes.post("/api/security/recovery", access: .open) { request, context in
            var request = request
            let body = try await request.decodeJSON(Action.self, limit: Self.bodyLimit)
            switch body.action {
            case "generate_token":
                return try await generateToken(minutes: body.duration, context: context)
            case "disable_auth":
                return try await disableAuthentication(token: request.headers[.recoveryToken] ?? body.token, context: context)
            case "enable_auth":
                return try await enableAuthentication(token: request.headers[.recoveryToken] ?? body.token, context: context)
            default:
                throw APIError.badRequest("action must be generate_token, disable_auth or enable_auth", field: "action")
            }
        }
    }

    private func generateToken(minutes: Int?, context: PulseRequestContext) async throws -> JSONResponse<Reply> {
        guard context.isLoopbackClient else {
            audit.record(
                "recovery_token_generate", actor: context.authentication.actor, ip: context.clientIP, success: false, details: "not loopback")
            throw APIError(.forbidden, code: .forbidden, message: "A recovery token can only be generated on the server itself (localhost)")
        }
        if let minutes, !(1...60).contains(minutes) {
            throw APIError.badRequest("duration must be 1 to 60 minutes", field: "duration")
        }
        let lifetime = minutes.map { TimeInterval($0 * 60) } ?? RecoveryMode.tokenLifetime
        let (raw, expiresAt) = await recovery.issueToken(lifetime: lifetime)
        let shownMinutes = Int((lifetime / 60).rounded())
        audit.record("recovery_token_generate", actor: context.authentication.actor, ip: context.clientIP, details: "valid \(shownMinutes) min")
        context.logger.warning("recovery token generated", metadata: ["ip": .string(context.clientIP)])
        return JSONResponse(
            Reply(
                success: true, message: "Recovery token generated. Valid for \(shownMinutes) minutes, once.", token: raw,
                expiresInMinutes: shownMinutes, expiresAt: expiresAt))
    }

    private func disableAuthentication(token: String?, context: PulseRequestContext) async throws -> JSONResponse<Reply> {
        try await redeem(token, for: "recovery_auth_disable", context: context)
        let until = await recovery.disableAuthentication()
        audit.record(
            "recovery_auth_disable", actor: context.authentication.actor, ip: context.clientIP,
            details: "until \(RFC3339.format(until) ?? "?"), loopback clients only")
        context.logger.warning("AUTH RECOVERY: authentication off for loopback clients", metadata: ["until": .string(RFC3339.format(until) ?? "?")])
        return JSONResponse(
            Reply(
                success: true,
                message:
                    "Recovery mode enabled: clients on this machine need no credentials until the time shown; then authentication is on again by itself",
                authDisabledUntil: until))
    }

    private func enableAuthentication(token: String?, context: PulseRequestContext) async throws -> JSONResponse<Reply> {
        if token != nil || (try? context.authentication.require(.wildcard)) == nil {
            try await redeem(token, for: "recovery_auth_enable", context: context)
        }
        let wasOpen = await recovery.enableAuthentication()
        audit.record("recovery_auth_enable", actor: context.authentication.actor, ip: context.clientIP, details: wasOpen ? nil : "was already on")
        context.logger.notice("AUTH RECOVERY: authentication on again")
        return JSONResponse(Reply(success: true, message: "Recovery mode disabled. Authentication re-enabled."))
    }

    /// Uses up the recovery token or refuses (401, audited).
    private func redeem(_ token: String?, for event: String, context: PulseRequestContext) async throws {
        guard let token, !token.isEmpty, await recovery.redeem(token) else {
            audit.record(
                event, actor: context.authentication.actor, ip: context.clientIP, success: false,
                details: "missing, wrong, used or expired recovery token")
            throw APIError(
                .unauthorized, code: .invalidToken,
                message: "A valid recovery token is required (X-Recovery-Token or \"token\"); each works once, for a limited time")
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(recovery: RecoveryMode, audit: AuditLog) {
        self.recovery = recovery
        self.audit = audit
    }
}

extension HTTPField.Name {
    /// Carries a recovery token (Pulse's header).
    static let recoveryToken = Self("X-Recovery-Token")!
}

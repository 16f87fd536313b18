import AgentProtocol
import Foundation
import HTTPTypes
import Hummingbird
package import PulseSupport

/// Dashboard login and sessions: `POST /api/login`, `/api/logout`,
/// `/api/security/change-password`, `/api/security/reset-lockout`, and the audit log.
package struct LoginRoutes {
    package let users: UserStore
    package let sessions: SessionStore
    package let lockout: LoginLockout
    package let audit: AuditLog
    package let time: any TimeSource
    package let usesTLS: Bool

    static let bodyLimit = 8 * 1024
    /// Longer usernames are refused before they are counted or looked up.
    static let maximumUsernameLength = 128

    package struct LoginRequest: Decodable {
        package let username: String
        package let password: String
        package let rememberMe: Bool?
    }

    package struct LoginReply: Encodable, Sendable {
        package var success = true
        package var username: String
        /// Also in the `pulse_csrf` cookie; send it as `X-CSRF-Token` on changes.
        var csrfToken: String
        /// Seconds until the session expires without use.
        var expiresIn: Int
    }

    package struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    package struct LockoutReset: Decodable { let identifier: String }

    package struct Done: Encodable, Sendable {
        package var success = true
        package var message: String
    }

    package func register(on routes: ScopedRouter) {
        routes.post("/api/login", access: .open) { request, context in
            var request = request
            let body = try await request.decodeJSON(LoginRequest.self, limit: Self.bodyLimit)
            return try await login(body, context: context)
        }

        routes.post("/api/logout", access: .open) { _, context in
            if let sessionID = context.sessionID {
                await sessions.end(sessionID)
                audit.record("logout", actor: context.authentication.actor, ip: context.clientIP)
            }
            var response = JSONBody.response(Done(message: "Logged out"))
            for cookie in cookies(session: "", csrf: "", maxAge: 0) { response.headers.append(cookie) }
            return response
        }

        routes.post("/api/security/change-password", access: .scope(.settingsWrite)) { request, context in
            var request = request
            guard let username = context.authentication.user?.name, let sessionID = context.sessionID else {
                throw APIError(.forbidden, code: .forbidden, message: "Log in to change your password")
            }
            let body = try await request.decodeJSON(PasswordChange.self, limit: Self.bodyLimit)
            guard try await users.verify(username: username, password: body.currentPassword) else {
                audit.record("password_change", actor: username, ip: context.clientIP, success: false, details: "wrong current password")
                throw APIError(.unauthorized, code: .invalidCredentials, message: "The current password is wrong")
            }
            do {
                try await users.setPassword(body.newPassword, for: username, at: time.now())
            } catch let error as UserStore.PasswordError {
                throw APIError.badRequest(error.description, field: "newPassword")
            }
            await sessions.endAll(of: username, keeping: sessionID)
            audit.record("password_change", actor: username, ip: context.clientIP)
            return JSONResponse(Done(message: "Password changed; other sessions were logged out"))
        }

        routes.post("/api/security/reset-lockout", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(LockoutReset.self, limit: Self.bodyLimit)
            let identifier = body.identifier.trimmingCharacters(in: .whitespaces)
            guard !identifier.isEmpty else { throw APIError.badRequest("identifier (a username or IP address) is required", field: "identifier") }
            let wasRecorded = await lockout.reset(identifier)
            audit.record("lockout_reset", actor: context.authentication.actor, ip: context.clientIP, details: identifier)
            return JSONResponse(Done(message: wasRecorded ? "Lockout reset for \(identifier)" : "No failed logins recorded for \(identifier)"))
        }

        routes.get("/api/security/audit", access: .scope(.settingsRead)) { request, _ in
            let limit = request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 100
            return JSONResponse(try audit.recent(limit: min(max(limit, 1), 1_000)))
        }
    }

    private func login(_ body: LoginRequest, context: PulseRequestContext) async throws -> Response {
        guard !body.username.isEmpty, body.username.count <= Self.maximumUsernameLength else {
            throw APIError.badRequest("username must be 1 to \(Self.maximumUsernameLength) characters", field: "username")
        }
        let ip = context.clientIP
        let before = await lockout.status(user: body.username, ip: ip)
        if let until = before.lockedUntil {
            throw lockedOut(until: until)
        }
        guard try await users.verify(username: body.username, password: body.password) else {
            let after = await lockout.recordFailure(user: body.username, ip: ip)
            audit.record("login_failed", actor: body.username, ip: ip, success: false)
            if let until = after.lockedUntil {
                audit.record("lockout", actor: body.username, ip: ip, success: false, details: "5 failed logins")
                throw lockedOut(until: until)
            }
            throw APIError(
                .unauthorized, code: .invalidCredentials, message: "Invalid username or password",
                details: ["remaining": String(after.remaining)])
        }
        await lockout.recordSuccess(user: body.username, ip: ip)
        let issued = try await sessions.create(username: body.username, rememberMe: body.rememberMe ?? false)
        audit.record("login", actor: body.username, ip: ip)
        var response = JSONBody.response(LoginReply(username: body.username, csrfToken: issued.csrfToken, expiresIn: issued.maxAge))
        for cookie in cookies(session: issued.id, csrf: issued.csrfToken, maxAge: issued.maxAge) { response.headers.append(cookie) }
        return response
    }

    private func lockedOut(until: Date) -> APIError {
        let seconds = max(1, Int(until.timeIntervalSince(time.now()).rounded(.up)))
        var error = APIError(
            .tooManyRequests, code: .lockedOut, message: "Too many failed logins; try again in \((seconds + 59) / 60) minutes",
            details: ["lockedUntil": String(Int(until.timeIntervalSince1970)), "remaining": "0"])
        error.headers[.retryAfter] = String(seconds)
        return error
    }

    private func cookies(session: String, csrf: String, maxAge: Int) -> [HTTPField] {
        SessionCookies.fields(session: session, csrf: csrf, maxAge: maxAge, secure: usesTLS)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(users: UserStore, sessions: SessionStore, lockout: LoginLockout, audit: AuditLog, time: any TimeSource, usesTLS: Bool) {
        self.users = users
        self.sessions = sessions
        self.lockout = lockout
        self.audit = audit
        self.time = time
        self.usesTLS = usesTLS
    }
}

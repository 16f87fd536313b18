import AgentProtocol
package import Foundation
import Hummingbird
import Logging

/// `GET/POST /api/security/tokens`, `DELETE /api/security/tokens/{id}`, and Pulse's single-token
/// maintenance: `POST /api/security/validate-token`, `/regenerate-token` and `/apply-restart`.
package struct TokenRoutes {
    package let tokens: TokenRegistry
    package let audit: AuditLog

    /// A token as the API shows it: never the hash, never the raw value.
    package struct TokenView: Encodable, Sendable {
        package let id: String
        package let name: String
        package let prefix: String
        package let suffix: String
        package let createdAt: Date
        package let lastUsedAt: Date?
        package let scopes: [String]

        package init(_ record: APITokenRecord) {
            id = record.id
            name = record.name
            prefix = record.prefix
            suffix = record.suffix
            createdAt = record.createdAt
            lastUsedAt = record.lastUsedAt
            scopes = record.scopes.map(\.rawValue)
        }

        package enum CodingKeys: String, CodingKey { case id, name, prefix, suffix, createdAt, lastUsedAt, scopes }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(prefix, forKey: .prefix)
            try container.encode(suffix, forKey: .suffix)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(lastUsedAt, forKey: .lastUsedAt)  // null until first use, as Pulse shows it
            try container.encode(scopes, forKey: .scopes)
        }
    }

    package struct TokenList: Encodable, Sendable { let tokens: [TokenView] }
    package struct CreatedToken: Encodable, Sendable {
        package let token: String
        package let record: TokenView
    }

    package struct CreateRequest: Decodable {
        package let name: String?
        package let scopes: [String]?
    }

    package struct ValidateRequest: Decodable { let token: String? }

    package struct Validation: Encodable, Sendable {
        package let valid: Bool
        let message: String
    }

    /// The seed's reply to `regenerate-token`.
    package struct Regenerated: Encodable, Sendable {
        package var success = true
        /// The new raw token, shown this once.
        package let token: String
        let deploymentType: String
        var requiresRestart = false
        let message: String
    }

    package struct RestartReply: Encodable, Sendable {
        var success = true
        var requiresRestart = false
        let message: String
    }

    static let maximumNameLength = 128
    /// The name `regenerate-token` gives its token (Pulse's); each regeneration replaces the token
    /// of this name.
    package static let regeneratedTokenName = "Regenerated token"

    package func register(on routes: ScopedRouter) {
        routes.get("/api/security/tokens", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(TokenList(tokens: await tokens.list().map(TokenView.init)))
        }

        routes.post("/api/security/tokens", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(CreateRequest.self, limit: 16 * 1024)
            let name = try Self.validatedName(body.name)
            let scopes = try Self.validatedScopes(body.scopes, grantedBy: context.authentication)
            let (raw, record) = try await tokens.create(name: name, scopes: scopes)
            context.logger.notice(
                "api token created",
                metadata: ["newTokenID": .string(record.id), "scopes": .string(scopes.map(\.rawValue).joined(separator: ","))])
            audit.record(
                "token_create", actor: context.authentication.actor, ip: context.clientIP,
                details: "\(record.id) \(name) [\(scopes.map(\.rawValue).joined(separator: ","))]")
            return JSONResponse(CreatedToken(token: raw, record: TokenView(record)))
        }

        routes.delete("/api/security/tokens/{id}", access: .scope(.settingsWrite)) { _, context in
            let id = try context.parameters.require("id")
            guard try await tokens.revoke(id: id) else { throw APIError.notFound("No API token with id \(id)") }
            context.logger.notice("api token revoked", metadata: ["revokedTokenID": .string(id)])
            audit.record("token_delete", actor: context.authentication.actor, ip: context.clientIP, details: id)
            return JSONBody.noContent
        }

        registerMaintenance(on: routes)
    }

    /// The maintenance routes.
    ///
    /// `regenerate-token` mints a full-access (`*`) token, so only a full administrator may call
    /// it: a `*` token or an admin user. A `settings:write` token would otherwise obtain more than
    /// it holds. The previous token *of this endpoint* (named `regeneratedTokenName`) is revoked
    /// in the same step, so repeated regeneration rotates one token instead of piling up
    /// full-access tokens. Every other token stays: Pulse v5 replaced the whole token list here,
    /// which silently cut off every agent and script; here each of those is revoked on its own
    /// (`DELETE /api/security/tokens/{id}`). The caller's own token keeps working unless it is
    /// the regenerated token being replaced.
    func registerMaintenance(on routes: ScopedRouter) {
        routes.post("/api/security/validate-token", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(ValidateRequest.self, limit: 4096)
            guard let token = body.token?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
                throw APIError.badRequest("token is required", field: "token")
            }
            let valid = await tokens.isValid(token)
            // Never the token itself; a failed check is audited as a possible guess.
            if !valid {
                audit.record("token_validate", actor: context.authentication.actor, ip: context.clientIP, success: false)
            }
            return JSONResponse(Validation(valid: valid, message: valid ? "Token is valid" : "Token is invalid"))
        }

        routes.post("/api/security/regenerate-token", access: .scope(.wildcard)) { _, context in
            let (raw, record, revoked) = try await tokens.rotate(name: Self.regeneratedTokenName, scopes: [.wildcard])
            audit.record(
                "token_regenerate", actor: context.authentication.actor, ip: context.clientIP,
                details: "\(record.id) [*]" + (revoked.isEmpty ? "" : ", replaced \(revoked.joined(separator: ","))"))
            context.logger.notice(
                "api token regenerated", metadata: ["newTokenID": .string(record.id), "revoked": .stringConvertible(revoked.count)])
            return JSONResponse(
                Regenerated(
                    token: raw, deploymentType: DeploymentKind.detect().rawValue,
                    message: "New API token generated and active immediately! Save this token - it won't be shown again."))
        }

        routes.post("/api/security/apply-restart", access: .scope(.settingsWrite)) { _, _ in
            JSONResponse(RestartReply(message: "Nothing to restart: security settings take effect immediately"))
        }
    }

    static func validatedName(_ name: String?) throws -> String {
        let trimmed = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maximumNameLength else {
            throw APIError.badRequest("Token name is longer than \(maximumNameLength) characters", field: "name")
        }
        return trimmed.isEmpty ? "API token" : trimmed
    }

    /// Omitted scopes mean full access. A token may only hand out scopes it holds itself, so a
    /// `settings:write` token cannot mint a `*` token (Pulse allowed that escalation).
    static func validatedScopes(_ names: [String]?, grantedBy caller: Authentication) throws -> [Scope] {
        let scopes = try requestedScopes(names)
        try requireGrantable(scopes, by: caller)
        return scopes
    }

    /// Refuses (403) when a token caller asks for scopes it does not hold itself.
    static func requireGrantable(_ scopes: [Scope], by caller: Authentication) throws {
        guard let token = caller.token else { return }
        let withheld = scopes.filter { !token.scopes.grants($0) }
        guard withheld.isEmpty else {
            throw APIError(
                .forbidden, code: .forbidden,
                message: "This token cannot grant scopes it does not hold: \(withheld.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The scopes a create request asks for: omitted means `*`, present must be a valid non-empty list.
    private static func requestedScopes(_ names: [String]?) throws -> [Scope] {
        guard let names else { return [.wildcard] }
        guard !names.isEmpty else {
            throw APIError.badRequest(
                "scopes must list at least one scope; omit the field for a full-access token", field: "scopes")
        }
        do {
            return try Scope.parseList(names)
        } catch {
            throw APIError.badRequest("Invalid scopes: \(error.description)", field: "scopes")
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(tokens: TokenRegistry, audit: AuditLog) {
        self.tokens = tokens
        self.audit = audit
    }
}

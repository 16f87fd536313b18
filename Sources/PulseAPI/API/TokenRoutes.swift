import AgentProtocol
package import Foundation
import Hummingbird
import Logging

/// `GET/POST /api/security/tokens`, `DELETE /api/security/tokens/{id}`.
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

    static let maximumNameLength = 128

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

import AgentProtocol
import CurlHTTP
import Foundation
import Hummingbird
import Logging
package import ProxmoxPolling
package import PulseCore
import PulseSupport

/// Auto-registration of Proxmox hosts: `POST /api/setup-script-url` (a one-time code and the
/// command to run on the host), `GET /api/setup-script` (the script), `POST /api/auto-register`
/// (the script's call back, with the code or a `settings:write` token; a host agent's token
/// may register its own node only, see `AgentNodeRegistration`).
package struct AutoRegistrationRoutes {
    package let store: ProxmoxInstanceStore
    package let codes: SetupCodes
    /// The configured public URL, read on each request (it changes at run time); nil: from the request.
    package let publicURL: @Sendable () -> String?
    package let usesTLS: Bool
    package let audit: AuditLog
    /// The hosts reporting now, for `AgentNodeRegistration`; nil: agent tokens cannot register.
    package let state: MonitoringState?

    package struct URLRequest: Decodable {
        package let type: String?
        package let host: String?
        let backupPerms: Bool?
    }

    package struct URLReply: Encodable, Sendable {
        package let url: String
        package let command: String
        let setupToken: String
        package let tokenHint: String
        /// Unix seconds.
        package let expires: Int64
    }

    package struct RegisterRequest: Decodable {
        package let type: String?
        package let host: String?
        package let serverName: String?
        package let tokenId: String?
        package let tokenValue: String?
        package let setupCode: String?
        let setupToken: String?
        /// `agent`: `pulse-agent --enable-proxmox` registering its own node with its own token.
        let source: String?
    }

    package struct RegisterReply: Encodable, Sendable {
        package var status = "success"
        package let message: String
        let nodeId: String
    }

    package func register(on routes: ScopedRouter) {
        routes.post("/api/setup-script-url", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(URLRequest.self, limit: 16 * 1024)
            let product = try Self.product(body.type)
            guard product != .pmg else { throw Self.noTokensOnPMG }
            let host = try ProxmoxInstanceInput.normalisedHost(body.host, type: product)
            let pulseURL = try AgentInstallRoutes.serverURL(publicURL: publicURL(), authority: request.head.authority, usesTLS: usesTLS)
            let (code, expires) = await codes.issue(product: product, host: host)
            var query = URLComponents()
            query.queryItems =
                [
                    URLQueryItem(name: "type", value: product.rawValue), URLQueryItem(name: "host", value: host),
                    URLQueryItem(name: "pulse_url", value: pulseURL),
                ] + (body.backupPerms == true ? [URLQueryItem(name: "backup_perms", value: "true")] : [])
            let url = "\(pulseURL)/api/setup-script?\(query.percentEncodedQuery ?? "")"
            context.logger.notice("setup code issued", metadata: ["type": .string(product.rawValue), "host": .string(host)])
            audit.record("setup_code_issued", actor: context.authentication.actor, ip: context.clientIP, details: "\(product.rawValue) \(host)")
            return JSONResponse(
                URLReply(
                    url: url, command: "curl -sSL \(ShellWord.quote(url)) | bash", setupToken: code,
                    tokenHint: "\(code.prefix(3))…\(code.suffix(3))", expires: Int64(expires.timeIntervalSince1970)))
        }

        routes.get("/api/setup-script", access: .open) { request, _ in
            let query = request.uri.queryParameters
            let product = try Self.product(query["type"].map(String.init))
            guard product != .pmg else { throw Self.noTokensOnPMG }
            let host = try ProxmoxInstanceInput.normalisedHost(query["host"].map(String.init), type: product)
            let pulseURL = try Self.pulseURL(query["pulse_url"].map(String.init))
            let script = SetupScript.render(
                product: product, host: host, pulseURL: pulseURL, backupPermissions: query["backup_perms"] == "true")
            var headers = HTTPFields()
            headers[.contentType] = "text/x-shellscript; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: script)))
        }

        routes.post("/api/auto-register", access: .setupCodeOr(.settingsWrite)) { request, context in
            var request = request
            let body = try? await request.decodeJSON(RegisterRequest.self, limit: 16 * 1024)
            let code = (body?.setupCode ?? body?.setupToken).flatMap { $0.isEmpty ? nil : $0 }
            // Without a code: settings:write, or a host agent's token registering its own node.
            var agentToken: APITokenRecord?
            if code == nil {
                if let token = context.authentication.token, state != nil, body?.source == "agent", !token.scopes.grants(.settingsWrite),
                    token.scopes.grants(.hostAgentReport)
                {
                    agentToken = token
                } else {
                    try context.authentication.require(.settingsWrite)
                }
            }
            guard let body else { throw APIError.badRequest("The body must be a JSON object", code: .invalidJSON) }
            let product = try Self.product(body.type)
            let host = try ProxmoxInstanceInput.normalisedHost(body.host, type: product)
            if let agentToken, let state {
                do {
                    try AgentNodeRegistration.check(
                        tokenID: agentToken.id, serverName: body.serverName, host: host, hosts: await state.snapshot().hosts)
                } catch {
                    context.logger.warning("auto-registration refused: not the agent's own node", metadata: ["host": .string(host)])
                    throw error
                }
            }
            if let code, await !codes.consume(code, product: product, host: host) {
                context.logger.warning("auto-registration refused: bad setup code", metadata: ["host": .string(host)])
                throw APIError(.unauthorized, code: .invalidToken, message: "The setup code is invalid, expired, used or made for another host")
            }
            guard let tokenID = body.tokenId, tokenID.contains("!"), let secret = body.tokenValue, !secret.isEmpty else {
                throw APIError.badRequest("tokenId (user@realm!name) and tokenValue are required", field: "tokenId")
            }
            let existing = await store.all().first { $0.instance.type == product && $0.instance.host == host }
            var input = ProxmoxInstanceInput()
            input.type = product.rawValue
            input.host = host
            input.tokenName = tokenID
            input.tokenValue = secret
            input.user = String(tokenID.split(separator: "!")[0])
            // Proxmox hosts mostly keep their self-signed certificate: rather than turning
            // verification off, pin the certificate the host presents now (trust on first use).
            if existing == nil {
                input.verifySSL = true
                input.fingerprint = await Self.presentedFingerprint(host)
            }
            if existing == nil {
                let name = (body.serverName ?? "").filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
                input.name = await store.nameIsTaken(name) || name.isEmpty ? nil : name
            }
            let target = try input.target(over: existing)
            let saved: ProxmoxTarget
            if existing != nil {
                try await store.update(target)
                saved = target
            } else {
                saved = try await store.add(target.instance, credentials: target.credentials)
            }
            context.logger.notice("proxmox instance auto-registered", metadata: ["instanceID": .string(saved.instance.id), "host": .string(host)])
            audit.record(
                "auto_register", actor: context.authentication.actor ?? "setup code", ip: context.clientIP,
                details: "\(saved.instance.id) \(product.rawValue) \(host)\(existing == nil ? "" : " (updated)")")
            return JSONResponse(RegisterReply(message: "Registered \(saved.instance.name)", nodeId: saved.instance.id))
        }
    }

    /// The SHA-256 fingerprint of the certificate `host` presents, or nil when it cannot be reached.
    private static func presentedFingerprint(_ host: String) async -> String? {
        guard let der = try? await CurlClient(connectTimeout: .seconds(3)).serverCertificate(host) else { return nil }
        return CertificateFingerprint.sha256(der)
    }

    /// PMG has no API tokens, so it cannot register itself; it is added with a user and password.
    private static let noTokensOnPMG = APIError.badRequest(
        "Proxmox Mail Gateway has no API tokens: add it with POST /api/config/nodes and a user and password", field: "type")

    private static func product(_ raw: String?) throws -> ProxmoxProduct {
        guard let product = ProxmoxProduct(rawValue: (raw ?? "").lowercased()) else {
            throw APIError.badRequest("type must be pve, pbs or pmg", field: "type")
        }
        return product
    }

    /// The Pulse URL the script calls back: `http(s)://host[:port]` in `HostAddress`'s grammar.
    private static func pulseURL(_ raw: String?) throws -> String {
        let address = try HostAddress.parse(raw, field: "pulse_url")
        guard address.scheme != nil else {
            throw InvalidField("pulse_url", "pulse_url must be this server's http:// or https:// address")
        }
        return address.description
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        store: ProxmoxInstanceStore, codes: SetupCodes, publicURL: @escaping @Sendable () -> String? = { nil }, usesTLS: Bool, audit: AuditLog,
        state: MonitoringState? = nil
    ) {
        self.store = store
        self.codes = codes
        self.publicURL = publicURL
        self.usesTLS = usesTLS
        self.audit = audit
        self.state = state
    }
}

import AgentProtocol
import Foundation
import Hummingbird
import Logging
import PulseSupport

/// `GET /api/agent/version` (what agents self-update to), `GET /api/agent/signing-key` (the key
/// agent builds are signed with) and `POST /api/agent-install-command` (mints a report token and
/// returns the one line that installs an agent with it, see `AgentInstallCommand`).
package struct AgentInstallRoutes {
    package let tokens: TokenRegistry
    package let signingKey: AgentSigningKey
    package let audit: AuditLog
    /// `PULSE_PUBLIC_URL`; without it the command uses the address the caller reached us at.
    /// The configured public URL, read on each request (it changes at run time); nil: from the request.
    package let publicURL: @Sendable () -> String?
    package let usesTLS: Bool
    /// What `/api/agent/version` advertises.
    package let agentVersion: String

    package struct AgentVersion: Encodable, Sendable { let version: String }

    package struct SigningKey: Encodable, Sendable {
        var algorithm = "ed25519"
        /// Base64 of the raw 32-byte key, what `install.sh --key` takes.
        package let publicKey: String
        /// SubjectPublicKeyInfo PEM, for `openssl pkeyutl -verify -pubin -inkey`.
        package let pem: String
    }

    package struct InstallRequest: Decodable {
        /// `host` (default), `docker`, `kubernetes`, or Pulse's `pve` / `pbs`.
        package let type: String?
    }

    package struct InstallCommand: Encodable, Sendable {
        package let command: String
        package let token: String
        package let tokenId: String
        package let scopes: [String]
    }

    /// What each kind of install reports, and the installer flags that turn it on. An install
    /// token only reports (and reads its own host's settings, `host-agent:config:read`, which the
    /// agent fetches while the server has switched its host reports off): a token that sits on the monitored host (and with Pulse v5's
    /// `pve`/`pbs` kinds, `host-agent:manage`) must not let that host remove other hosts.
    static let kinds: [String: (scopes: [Scope], flags: [String])] = [
        "host": ([.hostAgentReport, .hostAgentConfigRead], []),
        "docker": ([.hostAgentReport, .hostAgentConfigRead, .dockerReport], ["--enable-docker"]),
        "kubernetes": ([.kubernetesReport], ["--enable-kubernetes", "--disable-host"]),
        "pve": ([.hostAgentReport, .hostAgentConfigRead], []),
        "pbs": ([.hostAgentReport, .hostAgentConfigRead], []),
    ]

    package func register(on routes: ScopedRouter) {
        routes.get("/api/agent/version", access: .open) { _, _ in
            JSONResponse(AgentVersion(version: agentVersion))
        }

        routes.get("/api/agent/signing-key", access: .open) { _, _ in
            JSONResponse(SigningKey(publicKey: signingKey.publicKeyBase64, pem: signingKey.publicKeyPEM))
        }

        routes.post("/api/agent-install-command", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(InstallRequest.self, limit: 4 * 1024)
            let kind = (body.type ?? "host").lowercased()
            guard let (scopes, flags) = Self.kinds[kind] else {
                throw APIError.badRequest(
                    "type must be one of \(Self.kinds.keys.sorted().joined(separator: ", ")), got '\(kind)'", field: "type")
            }
            let serverURL = try serverURL(for: request)
            try TokenRoutes.requireGrantable(scopes, by: context.authentication)
            let (raw, record) = try await tokens.create(name: "\(kind) agent install", scopes: scopes)
            context.logger.notice(
                "agent install token created", metadata: ["newTokenID": .string(record.id), "type": .string(kind)])
            audit.record(
                "token_create", actor: context.authentication.actor, ip: context.clientIP,
                details: "\(record.id) for a \(kind) agent install [\(scopes.map(\.rawValue).joined(separator: ","))]")
            let command = AgentInstallCommand.render(serverURL: serverURL, token: raw, signingKey: signingKey.publicKeyBase64, flags: flags)
            return JSONResponse(
                InstallCommand(command: command, token: raw, tokenId: record.id, scopes: scopes.map(\.rawValue)))
        }
    }

    /// `PULSE_PUBLIC_URL`, else the scheme and Host the request came in on.
    private func serverURL(for request: Request) throws -> String {
        try Self.serverURL(publicURL: publicURL(), authority: request.head.authority, usesTLS: usesTLS)
    }

    /// `PULSE_PUBLIC_URL` as configured, else the request's Host, which must be a host and
    /// port in `HostAddress`'s grammar: it ends up in a shell command.
    static func serverURL(publicURL: String?, authority: String?, usesTLS: Bool) throws -> String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let unusable = "Cannot tell this server's address from the request's Host; set PULSE_PUBLIC_URL"
        guard let address = try? HostAddress.parse(authority, field: "Host"), address.scheme == nil else {
            throw InvalidField("Host", unusable)
        }
        return "\(usesTLS ? "https" : "http")://\(address.authority)"
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        tokens: TokenRegistry, signingKey: AgentSigningKey, audit: AuditLog, publicURL: @escaping @Sendable () -> String? = { nil }, usesTLS: Bool,
        agentVersion: String
    ) {
        self.tokens = tokens
        self.signingKey = signingKey
        self.audit = audit
        self.publicURL = publicURL
        self.usesTLS = usesTLS
        self.agentVersion = agentVersion
    }
}

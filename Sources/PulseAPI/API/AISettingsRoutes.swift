import AgentProtocol
package import Assistant
import Foundation
import HTTPTypes
import Hummingbird
package import PulseSupport

/// The assistant's provider settings and models, as Pulse v5 names them:
///
/// - `GET /api/settings/ai` (`settings:read`): the settings; keys never, a `<provider>_configured`
///   flag instead;
/// - `PUT`/`POST /api/settings/ai/update` (`settings:write`): the keys present change; a bad
///   value → 400 naming the field, and then nothing changes;
/// - `GET /api/ai/models` (`ai:chat`): the models each configured provider lists now; a provider
///   that cannot be asked is named in `error` (200, as Pulse answers).
package struct AISettingsRoutes {
    package let configuration: AIConfiguration
    package let audit: AuditLog
    package let time: any TimeSource

    package init(configuration: AIConfiguration, audit: AuditLog, time: any TimeSource) {
        self.configuration = configuration
        self.audit = audit
        self.time = time
    }

    struct Reply: Encodable, Sendable {
        let settings: AISettings
        let configured: Bool
        let openaiConfigured: Bool
        let anthropicConfigured: Bool
        let ollamaConfigured: Bool
        let configuredProviders: [String]
        let oauthConnected: Bool

        enum Extra: String, CodingKey {
            case configured
            case openaiConfigured = "openai_configured"
            case anthropicConfigured = "anthropic_configured"
            case ollamaConfigured = "ollama_configured"
            case configuredProviders = "configured_providers"
            case authMethod = "auth_method"
            case oauthConnected = "oauth_connected"
        }

        func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: Extra.self)
            try container.encode(configured, forKey: .configured)
            try container.encode(openaiConfigured, forKey: .openaiConfigured)
            try container.encode(anthropicConfigured, forKey: .anthropicConfigured)
            try container.encode(ollamaConfigured, forKey: .ollamaConfigured)
            try container.encode(configuredProviders, forKey: .configuredProviders)
            try container.encode("api_key", forKey: .authMethod)
            try container.encode(oauthConnected, forKey: .oauthConnected)
        }
    }

    struct ModelsReply: Encodable, Sendable {
        let models: [ModelInfo]
        let error: String?
        let cached: Bool
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/settings/ai", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(await reply())
        }
        for method in [HTTPRequest.Method.put, .post] {
            routes.on(method, "/api/settings/ai/update", access: .scope(.settingsWrite)) { request, context in
                var request = request
                let patch = try await request.decodeJSON(AISettingsPatch.self, limit: 64 * 1024)
                let updated = try await configuration.update(patch, at: time.now())
                audit.record(
                    "ai_settings_change", actor: context.authentication.actor, ip: context.clientIP,
                    details:
                        "enabled \(updated.enabled); model \(updated.model)\(patch.openaiAPIKey != nil || patch.anthropicAPIKey != nil ? "; key changed" : "")"
                )
                return JSONResponse(await reply())
            }
        }
        routes.get("/api/ai/models", access: .scope(.aiChat)) { _, _ in
            var models: [ModelInfo] = []
            var errors: [String] = []
            for kind in await configuration.configuredProviders() {
                do {
                    models += try await configuration.provider(kind).models()
                } catch let error as ProviderError {
                    errors.append("\(kind.rawValue): \(error.message)")
                }
            }
            if models.isEmpty && errors.isEmpty { errors.append("no provider is configured") }
            return JSONResponse(ModelsReply(models: models, error: errors.isEmpty ? nil : errors.joined(separator: "; "), cached: false))
        }
    }

    private func reply() async -> Reply {
        let settings = await configuration.settings
        let configured = await configuration.configuredProviders()
        return Reply(
            settings: settings, configured: await configuration.isReady(), openaiConfigured: await configuration.hasKey(.openai),
            anthropicConfigured: await configuration.hasKey(.anthropic), ollamaConfigured: configured.contains(.ollama),
            configuredProviders: configured.map(\.rawValue), oauthConnected: await configuration.oauthConnected())
    }
}

extension APIError {
    /// A provider failure as the API answers it: 400 `ai_not_configured` while nothing usable is
    /// configured (Pulse's status), 429 when the provider limits, 502 otherwise. The message
    /// never holds a key (`ProviderError.redacting`).
    init(_ error: ProviderError) {
        switch error.kind {
        case .notConfigured: self.init(.badRequest, code: Code(rawValue: "ai_not_configured"), message: error.message)
        case .rateLimited: self.init(.tooManyRequests, code: Code(rawValue: "provider_rate_limited"), message: error.message)
        case .refusedTarget: self.init(.badGateway, code: Code(rawValue: "provider_refused"), message: error.message)
        case .unreachable: self.init(.badGateway, code: Code(rawValue: "provider_unreachable"), message: error.message)
        case .failed, .malformed: self.init(.badGateway, code: Code(rawValue: "provider_error"), message: error.message)
        }
    }
}

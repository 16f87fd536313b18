package import Foundation
package import Persistence

/// The assistant's settings in force and its sealed keys: read at start, changed by the
/// settings route, asked for a provider by every request.
package actor AIConfiguration {
    /// The document name in the settings table.
    package static let documentName = "ai"
    /// Secret names in the sealed store.
    static func keyName(_ kind: ProviderKind) -> String { "ai.\(kind.rawValue).apiKey" }
    /// Legacy subscription tokens (OAuth); only ever removed (`/api/ai/oauth/disconnect`).
    static let oauthTokensName = "ai.anthropic.oauth"

    private let documents: NamedDocuments
    private let secrets: SecretStore
    package private(set) var settings: AISettings

    package init(documents: NamedDocuments, secrets: SecretStore) throws {
        self.documents = documents
        self.secrets = secrets
        let stored = try documents.loadAll()[Self.documentName]
        settings = try stored.map { try JSONDecoder().decode(AISettings.self, from: $0) } ?? AISettings()
    }

    /// Applies `patch`, stores the settings and keys, and returns the new settings.
    @discardableResult
    package func update(_ patch: AISettingsPatch, at time: Date) throws -> AISettings {
        let updated = try patch.applied(to: settings)
        try documents.save(try JSONEncoder().encode(updated), as: Self.documentName)
        for (kind, key, clear) in [
            (ProviderKind.openai, patch.openaiAPIKey, patch.clearOpenAIKey), (.anthropic, patch.anthropicAPIKey, patch.clearAnthropicKey),
        ] {
            if clear == true || key == "" {
                try secrets.remove(Self.keyName(kind))
            } else if let key {
                try secrets.put(key, named: Self.keyName(kind), at: time)
            }
        }
        settings = updated
        return updated
    }

    /// Whether `kind` has a key stored.
    package func hasKey(_ kind: ProviderKind) -> Bool {
        ((try? secrets.get(Self.keyName(kind))) ?? nil) != nil
    }

    /// Whether legacy OAuth tokens are stored.
    package func oauthConnected() -> Bool {
        ((try? secrets.get(Self.oauthTokensName)) ?? nil) != nil
    }

    /// Removes stored OAuth tokens.
    package func disconnectOAuth() throws {
        try secrets.remove(Self.oauthTokensName)
    }

    /// Whether `kind` could answer: Ollama needs only its URL; OpenAI-compatible servers other
    /// than OpenAI's own may run without a key; Anthropic needs its key.
    package func isConfigured(_ kind: ProviderKind) -> Bool {
        switch kind {
        case .ollama: !settings.ollamaBaseURL.isEmpty
        case .openai: hasKey(.openai) || !settings.openaiBaseURL.contains("api.openai.com")
        case .anthropic: hasKey(.anthropic)
        }
    }

    /// The providers that could answer.
    package func configuredProviders() -> [ProviderKind] {
        ProviderKind.allCases.filter { isConfigured($0) }
    }

    /// Whether chat can run: enabled, a model chosen, its provider configured.
    package func isReady() -> Bool {
        guard settings.enabled, let selection = settings.chatModelSelection else { return false }
        return isConfigured(selection.provider)
    }

    /// The provider and model chat uses (`override`, a `<provider>:<model>`, else the settings'),
    /// or `ProviderError.notConfigured` saying what is missing.
    package func chatProvider(override: String? = nil) throws -> (provider: any ChatProvider, model: String) {
        guard settings.enabled else {
            throw ProviderError(.notConfigured, "the assistant is off; enable it and choose a model in the AI settings")
        }
        let selection: ModelSelection
        if let chosen = override, !chosen.isEmpty {
            guard let parsed = ModelSelection(chosen) else {
                throw ProviderError(.notConfigured, "model must be <provider>:<model> with provider openai, anthropic or ollama")
            }
            selection = parsed
        } else {
            guard let configured = settings.chatModelSelection else {
                throw ProviderError(.notConfigured, "no model is chosen; set model to <provider>:<model> in the AI settings")
            }
            selection = configured
        }
        guard isConfigured(selection.provider) else {
            throw ProviderError(.notConfigured, "the \(selection.provider.rawValue) provider has no API key")
        }
        return (provider(selection.provider), selection.model)
    }

    /// A client for `kind` with the settings and key in force.
    package func provider(_ kind: ProviderKind) -> any ChatProvider {
        let key = (try? secrets.get(Self.keyName(kind))) ?? nil
        var authorization: [String] = []
        switch kind {
        case .openai: if let key { authorization = ["Authorization: Bearer \(key)"] }
        case .anthropic: authorization = [AnthropicProvider.version] + (key.map { ["x-api-key: \($0)"] } ?? [])
        case .ollama: break
        }
        let transport = ProviderTransport(
            baseURL: settings.baseURL(kind), allowedPrivateTargets: settings.allowedPrivateTargets,
            timeout: .seconds(settings.requestTimeoutSeconds), authorization: authorization, secret: key)
        switch kind {
        case .openai: return OpenAIProvider(transport: transport)
        case .anthropic: return AnthropicProvider(transport: transport)
        case .ollama: return OllamaProvider(transport: transport)
        }
    }
}

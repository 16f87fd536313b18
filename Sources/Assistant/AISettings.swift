import Foundation

/// The assistant's stored settings (`GET /api/settings/ai`, in Pulse's field names). Keys are
/// not here: they are sealed in the secret store and only their presence is shown.
package struct AISettings: Codable, Sendable, Equatable {
    package var enabled = false
    /// `<provider>:<model>`, e.g. `ollama:llama3.2` or `anthropic:claude-sonnet-4-5`.
    package var model = ""
    /// The model for chat when it differs from `model`; empty uses `model`.
    package var chatModel = ""
    /// What the operator tells the assistant about the estate, added to its instructions.
    package var customContext = ""
    package var openaiBaseURL = "https://api.openai.com/v1"
    package var anthropicBaseURL = "https://api.anthropic.com"
    package var ollamaBaseURL = "http://localhost:11434"
    /// One request's time limit; local models on slow hardware need long ones.
    package var requestTimeoutSeconds = 120
    /// Model turns one question may take (each may call tools).
    package var maxSteps = 8
    /// The most tokens one answer may hold.
    package var maxTokens = 2048
    /// The time one question may take in all.
    package var timeLimitSeconds = 300
    /// CIDR ranges of private addresses a provider may have (a local Ollama: `127.0.0.1/32`).
    package var allowedPrivateTargets: [String] = []
    /// Prices per million tokens, for the cost summary.
    package var modelPrices: [ModelPrice] = []

    package init() {}

    enum CodingKeys: String, CodingKey {
        case enabled, model
        case chatModel = "chat_model"
        case customContext = "custom_context"
        case openaiBaseURL = "openai_base_url"
        case anthropicBaseURL = "anthropic_base_url"
        case ollamaBaseURL = "ollama_base_url"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case maxSteps = "max_steps"
        case maxTokens = "max_tokens"
        case timeLimitSeconds = "time_limit_seconds"
        case allowedPrivateTargets = "allowed_private_targets"
        case modelPrices = "model_prices"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AISettings()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        model = try container.decodeIfPresent(String.self, forKey: .model) ?? defaults.model
        chatModel = try container.decodeIfPresent(String.self, forKey: .chatModel) ?? defaults.chatModel
        customContext = try container.decodeIfPresent(String.self, forKey: .customContext) ?? defaults.customContext
        openaiBaseURL = try container.decodeIfPresent(String.self, forKey: .openaiBaseURL) ?? defaults.openaiBaseURL
        anthropicBaseURL = try container.decodeIfPresent(String.self, forKey: .anthropicBaseURL) ?? defaults.anthropicBaseURL
        ollamaBaseURL = try container.decodeIfPresent(String.self, forKey: .ollamaBaseURL) ?? defaults.ollamaBaseURL
        requestTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .requestTimeoutSeconds) ?? defaults.requestTimeoutSeconds
        maxSteps = try container.decodeIfPresent(Int.self, forKey: .maxSteps) ?? defaults.maxSteps
        maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens) ?? defaults.maxTokens
        timeLimitSeconds = try container.decodeIfPresent(Int.self, forKey: .timeLimitSeconds) ?? defaults.timeLimitSeconds
        allowedPrivateTargets = try container.decodeIfPresent([String].self, forKey: .allowedPrivateTargets) ?? []
        modelPrices = try container.decodeIfPresent([ModelPrice].self, forKey: .modelPrices) ?? []
    }

    /// The model chat uses: `chat_model`, else `model`.
    package var chatModelSelection: ModelSelection? {
        ModelSelection(chatModel.isEmpty ? model : chatModel)
    }

    /// The base URL of `kind`.
    package func baseURL(_ kind: ProviderKind) -> String {
        switch kind {
        case .openai: openaiBaseURL
        case .anthropic: anthropicBaseURL
        case .ollama: ollamaBaseURL
        }
    }
}

/// `<provider>:<model>` split.
package struct ModelSelection: Sendable, Equatable {
    package var provider: ProviderKind
    package var model: String

    package init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let provider = ProviderKind(rawValue: String(text[..<colon])) else { return nil }
        let model = String(text[text.index(after: colon)...])
        guard !model.isEmpty else { return nil }
        self.provider = provider
        self.model = model
    }
}

/// What a model's tokens cost, in US dollars per million.
package struct ModelPrice: Codable, Sendable, Equatable {
    package var provider: String
    package var model: String
    package var inputPerMillionUSD: Double
    package var outputPerMillionUSD: Double

    enum CodingKeys: String, CodingKey {
        case provider, model
        case inputPerMillionUSD = "input_per_million_usd"
        case outputPerMillionUSD = "output_per_million_usd"
    }
}

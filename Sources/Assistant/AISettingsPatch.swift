import Foundation
import PulseSupport

/// The body of `PUT|POST /api/settings/ai/update`: the keys present change. A key is set by
/// `<provider>_api_key` and removed by `clear_<provider>_key`.
package struct AISettingsPatch: Decodable, Sendable {
    var enabled: Bool?
    var model: String?
    var chatModel: String?
    var customContext: String?
    var openaiBaseURL: String?
    var anthropicBaseURL: String?
    var ollamaBaseURL: String?
    var requestTimeoutSeconds: Int?
    var maxSteps: Int?
    var maxTokens: Int?
    var timeLimitSeconds: Int?
    var allowedPrivateTargets: [String]?
    var modelPrices: [ModelPrice]?
    package var openaiAPIKey: String?
    package var anthropicAPIKey: String?
    var clearOpenAIKey: Bool?
    var clearAnthropicKey: Bool?
    var clearOllamaURL: Bool?

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
        case openaiAPIKey = "openai_api_key"
        case anthropicAPIKey = "anthropic_api_key"
        case clearOpenAIKey = "clear_openai_key"
        case clearAnthropicKey = "clear_anthropic_key"
        case clearOllamaURL = "clear_ollama_url"
    }

    /// `settings` with this patch applied; a bad value throws `DomainError.invalid` naming its field.
    package func applied(to settings: AISettings) throws -> AISettings {
        var result = settings
        if let enabled { result.enabled = enabled }
        if let model { result.model = try Self.model(model, field: "model") }
        if let chatModel { result.chatModel = try Self.model(chatModel, field: "chat_model") }
        if let customContext {
            guard customContext.count <= 8_000 else {
                throw DomainError.invalid("custom_context is limited to 8,000 characters", field: "custom_context")
            }
            result.customContext = customContext
        }
        if let openaiBaseURL { result.openaiBaseURL = try Self.url(openaiBaseURL, field: "openai_base_url") }
        if let anthropicBaseURL { result.anthropicBaseURL = try Self.url(anthropicBaseURL, field: "anthropic_base_url") }
        if let ollamaBaseURL { result.ollamaBaseURL = try Self.url(ollamaBaseURL, field: "ollama_base_url") }
        if clearOllamaURL == true { result.ollamaBaseURL = AISettings().ollamaBaseURL }
        if let requestTimeoutSeconds {
            result.requestTimeoutSeconds = try Self.bounded(requestTimeoutSeconds, 5...3_600, field: "request_timeout_seconds")
        }
        if let maxSteps { result.maxSteps = try Self.bounded(maxSteps, 1...50, field: "max_steps") }
        if let maxTokens { result.maxTokens = try Self.bounded(maxTokens, 64...200_000, field: "max_tokens") }
        if let timeLimitSeconds { result.timeLimitSeconds = try Self.bounded(timeLimitSeconds, 10...3_600, field: "time_limit_seconds") }
        if let allowedPrivateTargets {
            for range in allowedPrivateTargets where IPRange(range) == nil {
                throw DomainError.invalid("\(range) is not a CIDR range", field: "allowed_private_targets")
            }
            result.allowedPrivateTargets = allowedPrivateTargets
        }
        if let modelPrices {
            for price in modelPrices where price.inputPerMillionUSD < 0 || price.outputPerMillionUSD < 0 || price.model.isEmpty {
                throw DomainError.invalid("a price needs a model and no negative amount", field: "model_prices")
            }
            result.modelPrices = modelPrices
        }
        return result
    }

    /// Whether the keys change.
    var changesKeys: Bool {
        openaiAPIKey != nil || anthropicAPIKey != nil || clearOpenAIKey == true || clearAnthropicKey == true
    }

    private static func model(_ text: String, field: String) throws -> String {
        if text.isEmpty { return text }
        guard ModelSelection(text) != nil else {
            throw DomainError.invalid("\(field) must be <provider>:<model> with provider openai, anthropic or ollama", field: field)
        }
        return text
    }

    private static func url(_ text: String, field: String) throws -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil, components.query == nil
        else { throw DomainError.invalid("\(field) must be an http:// or https:// URL with a host and no credentials", field: field) }
        return text
    }

    private static func bounded(_ value: Int, _ range: ClosedRange<Int>, field: String) throws -> Int {
        guard range.contains(value) else {
            throw DomainError.invalid("\(field) must be between \(range.lowerBound) and \(range.upperBound)", field: field)
        }
        return value
    }
}

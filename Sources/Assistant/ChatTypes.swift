package import AgentProtocol

/// Which API a provider speaks.
package enum ProviderKind: String, Codable, Sendable, CaseIterable {
    /// OpenAI's Chat Completions, and every server that copies it (Ollama's `/v1`, llama.cpp's
    /// server, vLLM, LM Studio): `<base>/chat/completions`, `<base>/models`.
    case openai
    /// Anthropic's Messages API: `<base>/v1/messages`, `<base>/v1/models`.
    case anthropic
    /// Ollama's own API: `<base>/api/chat`, `<base>/api/tags`.
    case ollama
}

/// A tool call the model asked for.
package struct ToolCall: Sendable, Equatable {
    package var id: String
    package var name: String
    /// The arguments, a JSON object.
    package var arguments: JSONValue

    package init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// One turn of a conversation, in the providers' common terms.
package enum ChatMessage: Sendable, Equatable {
    case user(String)
    case assistant(text: String, toolCalls: [ToolCall])
    /// A tool's result, answering the call `callID`.
    case tool(callID: String, name: String, content: String)
}

/// A tool offered to the model: its name, what it does and its parameters (a JSON schema).
package struct ToolSpec: Sendable, Equatable {
    package var name: String
    package var description: String
    package var parameters: JSONValue
}

/// One request to a model.
package struct ChatRequest: Sendable {
    package var model: String
    package var system: String
    package var messages: [ChatMessage]
    package var tools: [ToolSpec]
    /// The most tokens the model may write in its answer.
    package var maxTokens: Int

    package init(model: String, system: String, messages: [ChatMessage], tools: [ToolSpec], maxTokens: Int) {
        self.model = model
        self.system = system
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
    }
}

/// Tokens a request used, as the provider counted them.
package struct TokenUsage: Sendable, Equatable {
    package var input: Int
    package var output: Int

    package init(input: Int = 0, output: Int = 0) {
        self.input = input
        self.output = output
    }

    package static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(input: lhs.input + rhs.input, output: lhs.output + rhs.output)
    }
}

/// What the model answered: text, tool calls, or both.
package struct ChatReply: Sendable, Equatable {
    package var text: String
    package var toolCalls: [ToolCall]
    package var usage: TokenUsage
}

/// A model a provider offers (`GET /api/ai/models`).
package struct ModelInfo: Codable, Sendable, Equatable {
    /// `<provider>:<model>`, the form `model` takes in the settings.
    package var id: String
    package var name: String
    package var description: String?
    package var createdAt: Int64?
    package var notable: Bool
    package var provider: String

    enum CodingKeys: String, CodingKey {
        case id, name, description, createdAt = "created_at", notable, provider
    }
}

/// A language model service: one streamed chat request at a time, and its model list.
package protocol ChatProvider: Sendable {
    var kind: ProviderKind { get }
    /// Sends `request`; `onText` receives the answer's text as it streams.
    func chat(_ request: ChatRequest, onText: @escaping @Sendable (String) -> Void) async throws -> ChatReply
    /// The models the provider offers now.
    func models() async throws -> [ModelInfo]
}

import AgentProtocol

/// Ollama's own API: `/api/chat` streams one JSON object per line (tool calls arrive whole, the
/// last line says `done` with the token counts); `/api/tags` lists the installed models.
package struct OllamaProvider: ChatProvider {
    package let transport: ProviderTransport
    package var kind: ProviderKind { .ollama }

    package init(transport: ProviderTransport) {
        self.transport = transport
    }

    package func chat(_ request: ChatRequest, onText: @escaping @Sendable (String) -> Void) async throws -> ChatReply {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(Self.messages(request)),
            "stream": .bool(true),
            "options": .object(["num_predict": .number(Double(request.maxTokens))]),
        ]
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(OpenAIProvider.tool)) }
        var text = ""
        var toolCalls: [ToolCall] = []
        var usage = TokenUsage()
        var failure: String?
        try await transport.postStreaming("/api/chat", body: .object(body)) { line in
            guard let chunk = JSONValue.parse(line.utf8) else { return }
            if let error = chunk["error"]?.stringValue { failure = error }
            if let piece = chunk["message"]?["content"]?.stringValue, !piece.isEmpty {
                text += piece
                onText(piece)
            }
            for call in chunk["message"]?["tool_calls"]?.arrayValue ?? [] {
                guard let name = call["function"]?["name"]?.stringValue else { continue }
                var arguments = call["function"]?["arguments"] ?? .object([:])
                if let encoded = arguments.stringValue { arguments = JSONValue.parse(encoded.utf8) ?? .object([:]) }
                toolCalls.append(ToolCall(id: "call_\(toolCalls.count)", name: name, arguments: arguments))
            }
            if case .bool(true) = chunk["done"] {
                usage = TokenUsage(input: chunk["prompt_eval_count"]?.intValue ?? 0, output: chunk["eval_count"]?.intValue ?? 0)
            }
        }
        if let failure { throw ProviderError(.failed(status: 200), "the provider failed while answering: \(String(failure.prefix(300)))") }
        return ChatReply(text: text, toolCalls: toolCalls, usage: usage)
    }

    package func models() async throws -> [ModelInfo] {
        let answer = try await transport.getJSON("/api/tags")
        return (answer["models"]?.arrayValue ?? []).compactMap { model in
            guard let name = model["name"]?.stringValue ?? model["model"]?.stringValue else { return nil }
            return ModelInfo(id: "ollama:\(name)", name: name, description: nil, createdAt: nil, notable: false, provider: "ollama")
        }
    }

    static func messages(_ request: ChatRequest) -> [JSONValue] {
        var messages: [JSONValue] = [.object(["role": "system", "content": .string(request.system)])]
        for message in request.messages {
            switch message {
            case .user(let text):
                messages.append(.object(["role": "user", "content": .string(text)]))
            case .assistant(let text, let toolCalls):
                var entry: [String: JSONValue] = ["role": "assistant", "content": .string(text)]
                if !toolCalls.isEmpty {
                    entry["tool_calls"] = .array(
                        toolCalls.map { .object(["function": .object(["name": .string($0.name), "arguments": $0.arguments])]) })
                }
                messages.append(.object(entry))
            case .tool(_, let name, let content):
                messages.append(.object(["role": "tool", "tool_name": .string(name), "content": .string(content)]))
            }
        }
        return messages
    }
}

import AgentProtocol

/// OpenAI's Chat Completions API, streamed (`stream: true` with usage in the last chunk); also
/// what Ollama's `/v1`, llama.cpp's server, vLLM and LM Studio answer.
package struct OpenAIProvider: ChatProvider {
    package let transport: ProviderTransport
    package var kind: ProviderKind { .openai }

    package init(transport: ProviderTransport) {
        self.transport = transport
    }

    package func chat(_ request: ChatRequest, onText: @escaping @Sendable (String) -> Void) async throws -> ChatReply {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(Self.messages(request)),
            "max_tokens": .number(Double(request.maxTokens)),
            "stream": .bool(true),
            "stream_options": .object(["include_usage": .bool(true)]),
        ]
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(Self.tool)) }
        var text = ""
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        var usage = TokenUsage()
        try await transport.postStreaming("/chat/completions", body: .object(body)) { line in
            guard line.hasPrefix("data:") else { return }
            let payload = line.dropFirst(5).trimmingPrefix(" ")
            guard payload != "[DONE]", let chunk = JSONValue.parse(payload.utf8) else { return }
            if let counted = chunk["usage"], case .object = counted {
                usage = TokenUsage(input: counted["prompt_tokens"]?.intValue ?? 0, output: counted["completion_tokens"]?.intValue ?? 0)
            }
            guard let delta = chunk["choices"]?.arrayValue?.first?["delta"] else { return }
            if let piece = delta["content"]?.stringValue, !piece.isEmpty {
                text += piece
                onText(piece)
            }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let index = call["index"]?.intValue ?? 0
                var entry = calls[index] ?? (id: "", name: "", arguments: "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name += name }
                if let arguments = call["function"]?["arguments"]?.stringValue { entry.arguments += arguments }
                calls[index] = entry
            }
        }
        let toolCalls = calls.keys.sorted().compactMap { index -> ToolCall? in
            guard let call = calls[index], !call.name.isEmpty else { return nil }
            let arguments = JSONValue.parse(call.arguments.utf8) ?? .object([:])
            return ToolCall(id: call.id.isEmpty ? "call_\(index)" : call.id, name: call.name, arguments: arguments)
        }
        return ChatReply(text: text, toolCalls: toolCalls, usage: usage)
    }

    package func models() async throws -> [ModelInfo] {
        let answer = try await transport.getJSON("/models")
        return (answer["data"]?.arrayValue ?? []).compactMap { model in
            guard let id = model["id"]?.stringValue else { return nil }
            return ModelInfo(
                id: "openai:\(id)", name: id, description: nil, createdAt: model["created"]?.intValue.map(Int64.init), notable: false,
                provider: "openai")
        }
    }

    static func tool(_ spec: ToolSpec) -> JSONValue {
        .object([
            "type": "function",
            "function": .object(["name": .string(spec.name), "description": .string(spec.description), "parameters": spec.parameters]),
        ])
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
                        toolCalls.map { call in
                            .object([
                                "id": .string(call.id), "type": "function",
                                "function": .object(["name": .string(call.name), "arguments": .string(call.arguments.text)]),
                            ])
                        })
                }
                messages.append(.object(entry))
            case .tool(let callID, _, let content):
                messages.append(.object(["role": "tool", "tool_call_id": .string(callID), "content": .string(content)]))
            }
        }
        return messages
    }
}

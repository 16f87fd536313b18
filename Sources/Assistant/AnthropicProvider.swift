import AgentProtocol

/// Anthropic's Messages API, streamed: `message_start` (input tokens), content blocks of text or
/// `tool_use` (its input arriving as `input_json_delta` pieces), `message_delta` (output tokens).
package struct AnthropicProvider: ChatProvider {
    package let transport: ProviderTransport
    package var kind: ProviderKind { .anthropic }

    /// The API version header Anthropic requires.
    static let version = "anthropic-version: 2023-06-01"

    package init(transport: ProviderTransport) {
        self.transport = transport
    }

    package func chat(_ request: ChatRequest, onText: @escaping @Sendable (String) -> Void) async throws -> ChatReply {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "system": .string(request.system),
            "messages": .array(Self.messages(request.messages)),
            "max_tokens": .number(Double(request.maxTokens)),
            "stream": .bool(true),
        ]
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { .object(["name": .string($0.name), "description": .string($0.description), "input_schema": $0.parameters]) })
        }
        var text = ""
        var blocks: [Int: (id: String, name: String, input: String)] = [:]
        var usage = TokenUsage()
        var failure: String?
        try await transport.postStreaming("/v1/messages", body: .object(body)) { line in
            guard line.hasPrefix("data:"), let event = JSONValue.parse(line.dropFirst(5).utf8) else { return }
            let index = event["index"]?.intValue ?? 0
            switch event["type"]?.stringValue {
            case "message_start":
                usage.input = event["message"]?["usage"]?["input_tokens"]?.intValue ?? 0
                usage.output = event["message"]?["usage"]?["output_tokens"]?.intValue ?? 0
            case "content_block_start":
                if let block = event["content_block"], block["type"]?.stringValue == "tool_use" {
                    blocks[index] = (id: block["id"]?.stringValue ?? "tool_\(index)", name: block["name"]?.stringValue ?? "", input: "")
                }
            case "content_block_delta":
                let delta = event["delta"]
                if let piece = delta?["text"]?.stringValue, !piece.isEmpty {
                    text += piece
                    onText(piece)
                }
                if let partial = delta?["partial_json"]?.stringValue { blocks[index]?.input += partial }
            case "message_delta":
                if let output = event["usage"]?["output_tokens"]?.intValue { usage.output = output }
            case "error":
                failure = event["error"]?["message"]?.stringValue ?? "the provider reported an error"
            default: break
            }
        }
        if let failure { throw ProviderError(.failed(status: 200), "the provider failed while answering: \(String(failure.prefix(300)))") }
        let toolCalls = blocks.keys.sorted().compactMap { index -> ToolCall? in
            guard let block = blocks[index], !block.name.isEmpty else { return nil }
            return ToolCall(id: block.id, name: block.name, arguments: JSONValue.parse(block.input.utf8) ?? .object([:]))
        }
        return ChatReply(text: text, toolCalls: toolCalls, usage: usage)
    }

    package func models() async throws -> [ModelInfo] {
        let answer = try await transport.getJSON("/v1/models")
        return (answer["data"]?.arrayValue ?? []).compactMap { model in
            guard let id = model["id"]?.stringValue else { return nil }
            return ModelInfo(
                id: "anthropic:\(id)", name: model["display_name"]?.stringValue ?? id, description: nil, createdAt: nil, notable: false,
                provider: "anthropic")
        }
    }

    /// Anthropic's turns: a tool's result is a `tool_result` block of a user turn, and the
    /// results of one step share that turn.
    static func messages(_ messages: [ChatMessage]) -> [JSONValue] {
        var turns: [JSONValue] = []
        var results: [JSONValue] = []
        func flushResults() {
            if !results.isEmpty { turns.append(.object(["role": "user", "content": .array(results)])) }
            results = []
        }
        for message in messages {
            switch message {
            case .user(let text):
                flushResults()
                turns.append(.object(["role": "user", "content": .string(text)]))
            case .assistant(let text, let toolCalls):
                flushResults()
                var content: [JSONValue] = text.isEmpty ? [] : [.object(["type": "text", "text": .string(text)])]
                content += toolCalls.map { .object(["type": "tool_use", "id": .string($0.id), "name": .string($0.name), "input": $0.arguments]) }
                turns.append(.object(["role": "assistant", "content": .array(content)]))
            case .tool(let callID, _, let content):
                results.append(.object(["type": "tool_result", "tool_use_id": .string(callID), "content": .string(content)]))
            }
        }
        flushResults()
        return turns
    }
}

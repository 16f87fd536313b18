import AgentProtocol
package import Assistant
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Questions to the assistant (`ai:execute`, as Pulse assigns):
///
/// - `POST /api/ai/execute` `{prompt, history?, model?, target_type?, target_id?}`: the answer,
///   its tokens and the tool calls it made;
/// - `POST /api/ai/execute/stream`: the same as server-sent events (`content`, `tool_start`,
///   `tool_end`, then `complete` and `done`, or `error` and `done`);
/// - `POST /api/ai/kubernetes/analyze` `{cluster_id}`: the cluster's problems analysed (404 for
///   an unknown cluster).
///
/// Nothing configured → 400 `ai_not_configured`; a provider's 429 → 429, its other failures → 502.
package struct AIAssistantRoutes {
    package let assistant: Assistant

    package init(assistant: Assistant) {
        self.assistant = assistant
    }

    struct ExecuteRequest: Decodable {
        var prompt: String?
        var history: [Assistant.Turn]?
        var model: String?
        var targetType: String?
        var targetId: String?

        enum CodingKeys: String, CodingKey {
            case prompt, history, model
            case targetType = "target_type"
            case targetId = "target_id"
        }
    }

    struct AnalyzeRequest: Decodable {
        var clusterId: String?

        enum CodingKeys: String, CodingKey { case clusterId = "cluster_id" }
    }

    /// Pulse's `AIExecuteResponse`, with the provider, steps and why the loop stopped.
    struct ExecuteReply: Encodable {
        var content: String
        var provider: String
        var model: String
        var inputTokens: Int
        var outputTokens: Int
        var toolCalls: [ToolExecution]
        var pendingApprovals: [String] = []
        var steps: Int
        var stopReason: String

        init(_ answer: AssistantAnswer) {
            content = answer.content
            provider = answer.provider
            model = answer.model
            inputTokens = answer.usage.input
            outputTokens = answer.usage.output
            toolCalls = answer.toolCalls
            steps = answer.steps
            stopReason = answer.stopReason
        }

        enum CodingKeys: String, CodingKey {
            case content, provider, model, steps
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case toolCalls = "tool_calls"
            case pendingApprovals = "pending_approvals"
            case stopReason = "stop_reason"
        }
    }

    /// One server-sent event of the stream.
    enum StreamEvent: Encodable, Sendable {
        case content(String)
        case toolStart(name: String, input: String)
        case toolEnd(ToolExecution)
        case complete(AssistantAnswer)
        case error(String)
        case done

        init(_ event: AssistantEvent) {
            switch event {
            case .content(let text): self = .content(text)
            case .toolStart(let name, let input): self = .toolStart(name: name, input: input)
            case .toolEnd(let execution): self = .toolEnd(execution)
            }
        }

        enum Keys: String, CodingKey {
            case type, data, model, provider, steps
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case toolCalls = "tool_calls"
            case stopReason = "stop_reason"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .content(let text):
                try container.encode("content", forKey: .type)
                try container.encode(text, forKey: .data)
            case .toolStart(let name, let input):
                try container.encode("tool_start", forKey: .type)
                try container.encode(["name": name, "input": input], forKey: .data)
            case .toolEnd(let execution):
                try container.encode("tool_end", forKey: .type)
                try container.encode(execution, forKey: .data)
            case .complete(let answer):
                try container.encode("complete", forKey: .type)
                try container.encode(answer.model, forKey: .model)
                try container.encode(answer.provider, forKey: .provider)
                try container.encode(answer.usage.input, forKey: .inputTokens)
                try container.encode(answer.usage.output, forKey: .outputTokens)
                try container.encode(answer.toolCalls, forKey: .toolCalls)
                try container.encode(answer.steps, forKey: .steps)
                try container.encode(answer.stopReason, forKey: .stopReason)
            case .error(let message):
                try container.encode("error", forKey: .type)
                try container.encode(["message": message], forKey: .data)
            case .done:
                try container.encode("done", forKey: .type)
            }
        }
    }

    package func register(on routes: ScopedRouter) {
        routes.post("/api/ai/execute", access: .scope(.aiExecute)) { request, _ in
            var request = request
            let body = try await request.decodeJSON(ExecuteRequest.self, limit: 256 * 1024)
            let (prompt, context) = try Self.question(body)
            do {
                return JSONResponse(
                    ExecuteReply(try await assistant.ask(prompt, history: body.history ?? [], extraContext: context, model: body.model)))
            } catch let error as ProviderError {
                throw APIError(error)
            }
        }
        routes.post("/api/ai/execute/stream", access: .scope(.aiExecute)) { request, _ in
            var request = request
            let body = try await request.decodeJSON(ExecuteRequest.self, limit: 256 * 1024)
            let (prompt, context) = try Self.question(body)
            do {
                _ = try await assistant.configuration.chatProvider(override: body.model)
            } catch let error as ProviderError {
                throw APIError(error)
            }
            let assistant = assistant
            return stream { onEvent in
                try await assistant.ask(prompt, history: body.history ?? [], extraContext: context, model: body.model, onEvent: onEvent)
            }
        }
        routes.post("/api/ai/kubernetes/analyze", access: .scope(.aiExecute)) { request, _ in
            var request = request
            let body = try await request.decodeJSON(AnalyzeRequest.self, limit: 16 * 1024)
            guard let clusterID = body.clusterId?.trimmingCharacters(in: .whitespaces), !clusterID.isEmpty else {
                throw APIError.badRequest("cluster_id is required", field: "cluster_id")
            }
            do {
                return JSONResponse(ExecuteReply(try await assistant.analyzeKubernetes(clusterID: clusterID)))
            } catch let error as ProviderError {
                throw APIError(error)
            }
        }
    }

    /// The prompt, and what the question is about when it names a resource.
    static func question(_ body: ExecuteRequest) throws -> (prompt: String, context: String?) {
        guard let prompt = body.prompt?.trimmingCharacters(in: .whitespacesAndNewlines), !prompt.isEmpty else {
            throw APIError.badRequest("prompt is required", field: "prompt")
        }
        guard prompt.count <= 16_000 else { throw APIError.badRequest("prompt is limited to 16,000 characters", field: "prompt") }
        if let model = body.model, !model.isEmpty, ModelSelection(model) == nil {
            throw APIError.badRequest("model must be <provider>:<model> with provider openai, anthropic or ollama", field: "model")
        }
        let target = body.targetId.flatMap { $0.isEmpty ? nil : $0 }
        return (prompt, target.map { "The question is about the resource with ID \($0) (type \(body.targetType ?? "unknown"))." })
    }

    /// The answer of `run` as server-sent events.
    private func stream(
        _ run: @escaping @Sendable (_ onEvent: @escaping @Sendable (AssistantEvent) -> Void) async throws -> AssistantAnswer
    ) -> Response {
        Response(
            status: .ok, headers: EventStream.headers,
            body: ResponseBody { writer in
                let (events, sink) = AsyncStream<StreamEvent>.makeStream()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            let answer = try await run { sink.yield(StreamEvent($0)) }
                            sink.yield(.complete(answer))
                        } catch let error as ProviderError {
                            sink.yield(.error(error.message))
                        } catch {
                            sink.yield(.error("the assistant failed"))
                        }
                        sink.yield(.done)
                        sink.finish()
                    }
                    try await EventStream.forward(events, heartbeat: .seconds(15), into: &writer) { EventStream.data($0) }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
    }
}

import AgentProtocol
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import TestSupport
import Testing

@testable import Assistant
@testable import Persistence
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// The assistant against a provider fixture (Fixtures/tools/ai-provider-fixture.py) that speaks
/// OpenAI's, Anthropic's and Ollama's streamed chat shapes: answers through a tool call, streams
/// in order, clear errors for 429 and 500, the step bound, keys never shown, cost.
@Suite("Assistant: providers, tool loop, streaming, cost")
struct AssistantTests {
    struct FixtureInfo: Decodable {
        let url: String
    }
    typealias ProviderFixture = Peer<FixtureInfo>

    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]
    static let openAIKey = "sk-test-openai-SECRET-0123456789"
    static let anthropicKey = "sk-ant-test-SECRET-9876543210"

    /// Settings pointing `kind` at the fixture with `model`, loopback allowed.
    static func settings(_ kind: ProviderKind, model: String, fixture: String, maxSteps: Int? = nil) -> String {
        var body: [String: Any] = [
            "enabled": true, "model": "\(kind.rawValue):\(model)", "allowed_private_targets": ["127.0.0.0/8"],
            "openai_base_url": fixture + "/v1", "anthropic_base_url": fixture, "ollama_base_url": fixture,
            "openai_api_key": openAIKey, "anthropic_api_key": anthropicKey,
        ]
        if let maxSteps { body["max_steps"] = maxSteps }
        return AgentPayloads.json(body)
    }

    static func configure(_ client: any TestClientProtocol, _ body: String) async throws {
        let response = try await client.execute(uri: "/api/settings/ai/update", method: .put, headers: admin, body: ByteBuffer(string: body))
        #expect(response.status == .ok, "\(response.text)")
    }

    static func ask(_ client: any TestClientProtocol, _ prompt: String = "How is my estate?", path: String = "/api/ai/execute") async throws
        -> TestResponse
    {
        try await client.execute(uri: path, method: .post, headers: admin, body: ByteBuffer(string: AgentPayloads.json(["prompt": prompt])))
    }

    /// The `data:` payloads of a server-sent event body, parsed.
    static func events(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any]
        }
    }

    @Test(.timeLimit(.minutes(5)), arguments: ProviderKind.allCases)
    func theAssistantAnswersThroughAToolCall(kind: ProviderKind) async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                _ = try await client.post("/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "alpha-host"))
                try await Self.configure(client, Self.settings(kind, model: "tool-then-answer", fixture: fixture.info.url))
                let response = try await Self.ask(client)
                #expect(response.status == .ok, "\(response.text)")
                let body = try response.jsonObject()
                let content = try #require(body["content"] as? String)
                #expect(content.hasPrefix("Here is what the tool said: "))
                #expect(content.contains("alpha-host"), "the tool's result reached the model and its answer")
                let calls = body["tool_calls"] as? [[String: Any]] ?? []
                #expect(calls.map { $0["name"] as? String } == ["get_state_summary"])
                #expect(calls.first?["success"] as? Bool == true)
                #expect(body["provider"] as? String == kind.rawValue)
                #expect(body["model"] as? String == "tool-then-answer")
                #expect(body["steps"] as? Int == 2)
                #expect(body["stop_reason"] as? String == "complete")
                let expected = ["openai": (100, 20), "anthropic": (110, 21), "ollama": (120, 22)][kind.rawValue]!
                #expect(body["input_tokens"] as? Int == 2 * expected.0)
                #expect(body["output_tokens"] as? Int == 2 * expected.1)
                // What the provider was sent: the tools, the key in its header, the tool's result.
                let sent = try Self.requests(try await fixture.command("requests"))
                #expect(sent.count == 2)
                #expect(sent.first?["tools"] as? [String] == AssistantTools.specs.map(\.name))
                #expect((sent.last?["toolResults"] as? [String])?.first?.contains("alpha-host") == true)
                switch kind {
                case .openai: #expect(sent.first?["authorization"] as? String == "Bearer \(Self.openAIKey)")
                case .anthropic: #expect(sent.first?["apiKey"] as? String == Self.anthropicKey)
                case .ollama: #expect(sent.first?["authorization"] as? String == "")
                }
            }
        }
    }

    static func requests(_ answer: String) throws -> [[String: Any]] {
        let json = try #require(answer.hasPrefix("ok ") ? String(answer.dropFirst(3)) : nil)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    }

    @Test(.timeLimit(.minutes(5)), arguments: ProviderKind.allCases)
    func theStreamYieldsTheChunksInOrderThenCompleteAndDone(kind: ProviderKind) async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                _ = try await client.post("/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "beta-host"))
                try await Self.configure(client, Self.settings(kind, model: "tool-then-answer", fixture: fixture.info.url))
                let response = try await Self.ask(client, path: "/api/ai/execute/stream")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let events = Self.events(response.text)
                let types = events.compactMap { $0["type"] as? String }
                #expect(types.first == "tool_start")
                #expect(types.prefix(2) == ["tool_start", "tool_end"])
                #expect(types.suffix(2) == ["complete", "done"])
                let pieces = events.filter { $0["type"] as? String == "content" }.compactMap { $0["data"] as? String }
                #expect(Array(pieces.prefix(3)) == ["Here is ", "what the tool ", "said: "])
                #expect(pieces.joined().contains("beta-host"))
                let toolEnd = try #require(events.first { $0["type"] as? String == "tool_end" }?["data"] as? [String: Any])
                #expect(toolEnd["name"] as? String == "get_state_summary")
                #expect((toolEnd["output"] as? String)?.contains("beta-host") == true)
                let complete = try #require(events.first { $0["type"] as? String == "complete" })
                #expect((complete["tool_calls"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)), arguments: ProviderKind.allCases)
    func rateLimitsAndServerErrorsGiveAClearError(kind: ProviderKind) async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                try await Self.configure(client, Self.settings(kind, model: "rate-limited", fixture: fixture.info.url))
                let limited = try await Self.ask(client)
                #expect(limited.status == .tooManyRequests)
                let limitedBody = try limited.jsonObject()
                #expect(limitedBody["code"] as? String == "provider_rate_limited")
                #expect((limitedBody["error"] as? String)?.contains("Rate limit reached for requests") == true)
                #expect((limitedBody["error"] as? String)?.contains("429") == true)

                try await Self.configure(client, AgentPayloads.json(["model": "\(kind.rawValue):broken"]))
                let broken = try await Self.ask(client)
                #expect(broken.status == .badGateway)
                let brokenBody = try broken.jsonObject()
                #expect(brokenBody["code"] as? String == "provider_error")
                #expect((brokenBody["error"] as? String)?.contains("500") == true)
                #expect((brokenBody["error"] as? String)?.contains("The server had an error") == true)

                // The stream says so as an error event.
                let streamed = try await Self.ask(client, path: "/api/ai/execute/stream")
                let events = Self.events(streamed.text)
                #expect(events.compactMap { $0["type"] as? String } == ["error", "done"])
                #expect(((events.first?["data"] as? [String: Any])?["message"] as? String)?.contains("500") == true)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aSlowAnswerArrivesAndAStalledProviderMeetsTheRequestTimeout() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                _ = try await client.post("/api/agents/host/report", token: TestServer.adminToken, body: AgentPayloads.host(hostname: "slow-host"))
                try await Self.configure(client, Self.settings(.anthropic, model: "slow", fixture: fixture.info.url))
                let slow = try await Self.ask(client)
                #expect(slow.status == .ok)
                #expect(slow.field("content", as: String.self)?.contains("slow-host") == true)
                try await Self.configure(client, #"{"model":"anthropic:stall","request_timeout_seconds":5}"#)
                let stalled = try await Self.ask(client)
                #expect(stalled.status == .badGateway)
                #expect(stalled.field("code", as: String.self) == "provider_unreachable")
                #expect(stalled.field("error", as: String.self)?.lowercased().contains("timeout") == true, "\(stalled.text)")
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func onePlainPromptIsAnsweredWithoutTools() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                try await Self.configure(client, Self.settings(.ollama, model: "echo-context", fixture: fixture.info.url))
                let text = try await server.dependencies.assistant.complete(prompt: "Disk local-lvm fills in 5 days")
                #expect(text.hasPrefix("Context: You are the assistant of Pulse"))
                let sent = try Self.requests(try await fixture.command("requests"))
                #expect(sent.count == 1)
                #expect(sent.first?["tools"] as? [String] == [])
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func theStepBoundStopsAModelThatCallsToolsForever() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                try await Self.configure(client, Self.settings(.openai, model: "always-tools", fixture: fixture.info.url, maxSteps: 3))
                let response = try await Self.ask(client)
                #expect(response.status == .ok)
                let body = try response.jsonObject()
                #expect(body["stop_reason"] as? String == "max_steps")
                #expect(body["steps"] as? Int == 3)
                #expect((body["tool_calls"] as? [[String: Any]])?.count == 3)
                #expect((body["content"] as? String)?.contains("limit of 3 steps") == true)
                #expect(try Self.requests(try await fixture.command("requests")).count == 3)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func noProviderConfiguredIsA400NamingWhatIsMissing() async throws {
        try await TestServer.with { server, client in
            for path in ["/api/ai/execute", "/api/ai/execute/stream"] {
                let off = try await Self.ask(client, path: path)
                #expect(off.status == .badRequest)
                #expect(off.field("code", as: String.self) == "ai_not_configured")
            }
            try await Self.configure(client, #"{"enabled":true,"model":"anthropic:claude"}"#)
            let noKey = try await Self.ask(client)
            #expect(noKey.status == .badRequest)
            #expect(noKey.field("code", as: String.self) == "ai_not_configured")
            #expect(noKey.field("error", as: String.self)?.contains("anthropic") == true)
            let empty = try await client.execute(uri: "/api/ai/execute", method: .post, headers: Self.admin, body: ByteBuffer(string: "{}"))
            #expect(empty.status == .badRequest)
            #expect((try empty.jsonObject()["details"] as? [String: String])?["field"] == "prompt")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func settingsRoundTripWithoutEverShowingAKeyAndRefuseBadValues() async throws {
        try await TestServer.with { server, client in
            let initial = try await client.execute(uri: "/api/settings/ai", method: .get, headers: Self.admin) { try $0.jsonObject() }
            #expect(initial["enabled"] as? Bool == false)
            #expect(initial["openai_configured"] as? Bool == false)
            #expect(initial["configured"] as? Bool == false)
            let body = AgentPayloads.json([
                "enabled": true, "model": "openai:gpt-4o-mini", "openai_api_key": Self.openAIKey, "request_timeout_seconds": 30, "max_steps": 4,
                "max_tokens": 1000, "allowed_private_targets": ["10.0.0.0/8"], "custom_context": "Two nodes in the attic",
                "model_prices": [["provider": "openai", "model": "gpt-4o-mini", "input_per_million_usd": 0.15, "output_per_million_usd": 0.6]],
            ])
            let updated = try await client.execute(uri: "/api/settings/ai/update", method: .post, headers: Self.admin, body: ByteBuffer(string: body))
            #expect(updated.status == .ok)
            #expect(!updated.text.contains(Self.openAIKey))
            let read = try await client.execute(uri: "/api/settings/ai", method: .get, headers: Self.admin)
            #expect(!read.text.contains(Self.openAIKey))
            let settings = try read.jsonObject()
            #expect(settings["model"] as? String == "openai:gpt-4o-mini")
            #expect(settings["openai_configured"] as? Bool == true)
            #expect(settings["configured"] as? Bool == true)
            #expect(settings["max_steps"] as? Int == 4)
            #expect(settings["request_timeout_seconds"] as? Int == 30)
            #expect(settings["custom_context"] as? String == "Two nodes in the attic")
            #expect(settings["allowed_private_targets"] as? [String] == ["10.0.0.0/8"])
            #expect((settings["configured_providers"] as? [String])?.contains("openai") == true)
            // The key is sealed, not stored in the clear.
            let database = try String(decoding: Data(contentsOf: server.dataDirectory.appendingPathComponent("pulse.db")), as: UTF8.self)
            #expect(!database.contains(Self.openAIKey))
            #expect(try server.dependencies.secrets.get("ai.openai.apiKey") == Self.openAIKey)

            for (bad, field) in [
                (#"{"model":"gpt-4o"}"#, "model"), (#"{"openai_base_url":"ftp://x"}"#, "openai_base_url"),
                (#"{"ollama_base_url":"http://user:pw@host"}"#, "ollama_base_url"), (#"{"max_steps":0}"#, "max_steps"),
                (#"{"allowed_private_targets":["nope"]}"#, "allowed_private_targets"), (#"{"request_timeout_seconds":1}"#, "request_timeout_seconds"),
            ] {
                let refused = try await client.execute(
                    uri: "/api/settings/ai/update", method: .put, headers: Self.admin, body: ByteBuffer(string: bad))
                #expect(refused.status == .badRequest, "\(bad)")
                #expect((try refused.jsonObject()["details"] as? [String: String])?["field"] == field, "\(bad)")
            }
            let cleared = try await client.execute(
                uri: "/api/settings/ai/update", method: .put, headers: Self.admin, body: ByteBuffer(string: #"{"clear_openai_key":true}"#))
            #expect(cleared.field("openai_configured", as: Bool.self) == false)
            #expect(try server.dependencies.secrets.get("ai.openai.apiKey") == nil)
        }
    }

    /// Every log line the server writes.
    final class LogLines: LogHandler, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.withLock { $0.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })") }
        }
    }

    @Test(.timeLimit(.minutes(5)), arguments: [ProviderKind.openai, .anthropic])
    func theKeyIsNeverInAResponseOrALogEvenWhenTheProviderEchoesIt(kind: ProviderKind) async throws {
        let logs = LogLines()
        let key = kind == .openai ? Self.openAIKey : Self.anthropicKey
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.live(logHandler: logs) { server, client in
                try await Self.configure(client, Self.settings(kind, model: "echo-key", fixture: fixture.info.url))
                var texts: [String] = []
                let refused = try await Self.ask(client)
                #expect(refused.status == .badGateway)
                #expect(refused.text.contains("[redacted]"), "the fixture echoed the key and Pulse masked it: \(refused.text)")
                texts.append(refused.text)
                texts.append(try await Self.ask(client, path: "/api/ai/execute/stream").text)
                texts.append(try await client.execute(uri: "/api/settings/ai", method: .get, headers: Self.admin).text)
                texts.append(try await client.execute(uri: "/api/ai/models", method: .get, headers: Self.admin).text)
                let sent = try Self.requests(try await fixture.command("requests"))
                #expect(
                    sent.contains {
                        ($0["authorization"] as? String ?? "") + ($0["apiKey"] as? String ?? "") == (kind == .openai ? "Bearer " + key : key)
                    })
                for text in texts { #expect(!text.contains(key)) }
            }
        }
        let lines = logs.lines.withLock { $0 }
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains(key) })
    }

    @Test(.timeLimit(.minutes(5)))
    func modelsAreListedLiveFromEachConfiguredProvider() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                try await Self.configure(client, Self.settings(.openai, model: "tool-then-answer", fixture: fixture.info.url))
                let chat = try await server.token(scopes: ["ai:chat"])
                let body = try await client.execute(uri: "/api/ai/models", method: .get, headers: .token(chat)) { try $0.jsonObject() }
                let ids = Set((body["models"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                #expect(ids.isSuperset(of: ["openai:tool-then-answer", "anthropic:tool-then-answer", "ollama:tool-then-answer"]))
                #expect(body["error"] == nil)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aPrivateProviderAddressIsRefusedUnlessAllowed() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                try await Self.configure(client, Self.settings(.ollama, model: "tool-then-answer", fixture: fixture.info.url))
                try await Self.configure(client, #"{"allowed_private_targets":[]}"#)
                let refused = try await Self.ask(client)
                #expect(refused.status == .badGateway)
                #expect(refused.field("code", as: String.self) == "provider_refused")
                #expect(refused.field("error", as: String.self)?.contains("allowed_private_targets") == true)
                #expect(try Self.requests(try await fixture.command("requests")).isEmpty)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func kubernetesAnalysisNeedsAKnownClusterAndGivesItsProblemsAsContext() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                _ = try await client.post("/api/agents/kubernetes/report", token: TestServer.adminToken, body: Self.troubledCluster)
                try await Self.configure(client, Self.settings(.ollama, model: "echo-context", fixture: fixture.info.url))
                let analyze = { (body: String) in
                    try await client.execute(uri: "/api/ai/kubernetes/analyze", method: .post, headers: Self.admin, body: ByteBuffer(string: body))
                }
                let missing = try await analyze("{}")
                #expect(missing.status == .badRequest)
                #expect((try missing.jsonObject()["details"] as? [String: String])?["field"] == "cluster_id")
                #expect(try await analyze(#"{"cluster_id":"nope"}"#).status == .notFound)
                let answer = try await analyze(#"{"cluster_id":"k-trouble"}"#)
                #expect(answer.status == .ok, "\(answer.text)")
                let content = try #require(answer.field("content", as: String.self))
                #expect(content.contains("payments/api-7f9: Pending"))
                #expect(content.contains("node-2"))
                #expect(content.contains("payments/api: 1 of 3 replicas ready"))
            }
        }
    }

    static let troubledCluster = AgentPayloads.json([
        "agent": ["id": "k-agent", "version": "5.1.36", "intervalSeconds": 60],
        "cluster": ["id": "k-trouble", "name": "prod"],
        "nodes": [
            ["uid": "n1", "name": "node-1", "ready": true, "capacity": ["cpuCores": 4], "allocatable": ["cpuCores": 4]],
            ["uid": "n2", "name": "node-2", "ready": false, "capacity": ["cpuCores": 4], "allocatable": ["cpuCores": 4]],
        ],
        "pods": [
            [
                "uid": "p1", "name": "api-7f9", "namespace": "payments", "phase": "Pending", "reason": "Unschedulable",
                "createdAt": "2025-06-15T15:00:00Z", "restarts": 0, "labels": ["db-password": "LABEL-SECRET-hunter2"],
            ]
        ],
        "deployments": [["uid": "d1", "name": "api", "namespace": "payments", "desiredReplicas": 3, "readyReplicas": 1]],
        "timestamp": "2025-06-15T15:06:40Z",
    ])

    @Test(.timeLimit(.minutes(5)))
    func noToolOutputCarriesASecret() async throws {
        try await TestServer.with { server, client in
            // Secrets of every kind the server holds: an AI key, token records behind agents, labels.
            try await Self.configure(client, AgentPayloads.json(["openai_api_key": Self.openAIKey, "anthropic_api_key": Self.anthropicKey]))
            let agentToken = try await server.token(scopes: ["kubernetes:report", "host-agent:report", "docker:report"])
            _ = try await client.post("/api/agents/kubernetes/report", token: agentToken, body: Self.troubledCluster)
            _ = try await client.post("/api/agents/host/report", token: agentToken, body: AgentPayloads.host(hostname: "gamma-host"))
            _ = try await client.post("/api/agents/docker/report", token: agentToken, body: AgentPayloads.docker(hostname: "delta", agentID: "d1"))
            let state = try await client.state()
            let hints =
                state.objects("kubernetesClusters").compactMap { $0["tokenHint"] as? String }
                + state.objects("hosts").compactMap { $0["tokenHint"] as? String }
            #expect(!hints.isEmpty, "the state holds token hints, which the tools must not show")
            let secrets = [Self.openAIKey, Self.anthropicKey, agentToken, TestServer.adminToken, "LABEL-SECRET-hunter2", "db-password"] + hints

            let tools = server.dependencies.assistant.tools
            let resources = await server.dependencies.state.snapshot().resources()
            #expect(resources.count >= 4)
            var calls: [ToolCall] = [
                ToolCall(id: "1", name: "get_state_summary", arguments: [:]),
                ToolCall(id: "2", name: "list_active_alerts", arguments: [:]),
                ToolCall(id: "3", name: "get_kubernetes_problems", arguments: [:]),
                ToolCall(id: "4", name: "get_kubernetes_problems", arguments: ["cluster_id": "k-trouble"]),
            ]
            for resource in resources {
                calls.append(ToolCall(id: "r", name: "get_resource", arguments: ["resource_id": .string(resource.id)]))
                calls.append(
                    ToolCall(id: "h", name: "get_metric_history", arguments: ["resource_id": .string(resource.id), "metric": "cpu", "range": "24h"]))
                calls.append(ToolCall(id: "b", name: "list_guest_backups", arguments: ["guest_id": .string(resource.id)]))
            }
            #expect(Set(calls.map(\.name)) == Set(AssistantTools.specs.map(\.name)), "every tool is exercised")
            var outputs: [String] = []
            for call in calls { outputs.append(await tools.run(call).output) }
            #expect(outputs.contains { $0.contains("gamma-host") })
            #expect(outputs.contains { $0.contains("payments/api-7f9") })
            for output in outputs {
                for secret in secrets { #expect(!output.contains(secret), "a tool output holds \(secret): \(output)") }
            }
        }
    }

    @Test func toolResultsAreCappedAndUnknownToolsAreRefused() async throws {
        try await TestServer.with { server, client in
            for index in 0..<40 {
                _ = try await client.post(
                    "/api/agents/host/report", token: TestServer.adminToken,
                    body: AgentPayloads.host(hostname: "host-\(index)-" + String(repeating: "x", count: 40), agentID: "agent-\(index)"))
            }
            let small = AssistantTools(data: server.dependencies.assistant.tools.data, resultLimit: 500)
            let summary = await small.run(ToolCall(id: "1", name: "get_state_summary", arguments: [:]))
            #expect(summary.success)
            #expect(summary.output.count <= 500 + 40)
            #expect(summary.output.hasSuffix("[cut at 500 characters]"))
            let unknown = await small.run(ToolCall(id: "2", name: "delete_vm", arguments: ["vmid": "100"]))
            #expect(!unknown.success)
            #expect(unknown.output == "error: there is no tool named delete_vm")
            #expect(!AssistantTools.specs.contains { ["delete", "stop", "start", "restart", "exec", "run"].contains(where: $0.name.hasPrefix) })
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func costCountsTheFixturesTokensPerProviderModelAndDayAndExportsCSV() async throws {
        try await ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await TestServer.with { server, client in
                try await Self.configure(client, Self.settings(.openai, model: "tool-then-answer", fixture: fixture.info.url))
                try await Self.configure(
                    client,
                    AgentPayloads.json([
                        "model_prices": [
                            ["provider": "openai", "model": "tool-then-answer", "input_per_million_usd": 2.5, "output_per_million_usd": 10]
                        ]
                    ]))
                #expect(try await Self.ask(client).status == .ok)  // two requests: 200 in, 40 out
                try await Self.configure(client, AgentPayloads.json(["model": "anthropic:tool-then-answer"]))
                #expect(try await Self.ask(client).status == .ok)  // 220 in, 42 out, no price
                let summary = try await client.execute(uri: "/api/ai/cost/summary", method: .get, headers: Self.admin) { try $0.jsonObject() }
                let models = summary["provider_models"] as? [[String: Any]] ?? []
                #expect(models.count == 2)
                let anthropic = try #require(models.first { $0["provider"] as? String == "anthropic" })
                let openai = try #require(models.first { $0["provider"] as? String == "openai" })
                #expect(anthropic["input_tokens"] as? Int == 220)
                #expect(anthropic["output_tokens"] as? Int == 42)
                #expect(anthropic["pricing_known"] as? Bool == false)
                #expect(openai["input_tokens"] as? Int == 200)
                #expect(openai["output_tokens"] as? Int == 40)
                #expect(openai["requests"] as? Int == 2)
                #expect(abs((openai["estimated_usd"] as? Double ?? 0) - (200 * 2.5 + 40 * 10) / 1e6) < 1e-12)
                let totals = try #require(summary["totals"] as? [String: Any])
                #expect(totals["total_tokens"] as? Int == 502)
                #expect((summary["daily_totals"] as? [[String: Any]])?.map { $0["date"] as? String } == ["2025-06-15"])

                let csv = try await client.execute(uri: "/api/ai/cost/export", method: .get, headers: Self.admin)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.headers[.contentDisposition] == "attachment; filename=\"pulse-ai-usage-20250615-30d.csv\"")
                #expect(
                    csv.text == """
                        date,provider,model,requests,input_tokens,output_tokens,total_tokens,estimated_usd
                        2025-06-15,anthropic,tool-then-answer,2,220,42,262,
                        2025-06-15,openai,tool-then-answer,2,200,40,240,0.000900

                        """)

                // Thirty days on, the default window no longer holds them; reset forgets them.
                server.time.advance(by: 31 * 86_400)
                let later = try await client.execute(uri: "/api/ai/cost/summary", method: .get, headers: Self.admin) { try $0.jsonObject() }
                #expect((later["provider_models"] as? [Any])?.isEmpty == true)
                let wide = try await client.execute(uri: "/api/ai/cost/summary?days=60", method: .get, headers: Self.admin) { try $0.jsonObject() }
                #expect((wide["provider_models"] as? [Any])?.count == 2)
                #expect(try await client.execute(uri: "/api/ai/cost/reset", method: .post, headers: Self.admin).status == .ok)
                let reset = try await client.execute(uri: "/api/ai/cost/summary?days=60", method: .get, headers: Self.admin) { try $0.jsonObject() }
                #expect((reset["provider_models"] as? [Any])?.isEmpty == true)
                #expect(try await client.execute(uri: "/api/ai/cost/summary?days=0", method: .get, headers: Self.admin).status == .badRequest)
            }
        }
    }

    @Test func csvFieldsAreQuotedAndFormulasDefused() {
        #expect(CostReport.csvField("plain") == "plain")
        #expect(CostReport.csvField("a,b") == "\"a,b\"")
        #expect(CostReport.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CostReport.csvField("=cmd()") == "'=cmd()")
        #expect(CostReport.csvField("@x,y") == "\"'@x,y\"")
    }

    @Test func oauthFollowsPulseSubscriptionSignInIsUnsupported() async throws {
        try await TestServer.with { server, client in
            let start = try await client.execute(uri: "/api/ai/oauth/start", method: .post, headers: Self.admin)
            #expect(start.status == .gone)
            #expect(start.field("error", as: String.self) == "unsupported_anthropic_oauth")
            let exchange = try await client.execute(uri: "/api/ai/oauth/exchange", method: .post, headers: Self.admin)
            #expect(exchange.status == .gone)
            let callback = try await client.execute(uri: "/api/ai/oauth/callback?code=abc&state=x", method: .get)
            #expect(callback.status == .temporaryRedirect)
            #expect(callback.headers[.location] == "/settings?ai_oauth_error=unsupported")
            let denied = try await client.execute(uri: "/api/ai/oauth/callback?error=access_denied", method: .get)
            #expect(denied.headers[.location] == "/settings?ai_oauth_error=access_denied")
            try server.dependencies.secrets.put("old-refresh-token", named: AIConfiguration.oauthTokensName, at: Date())
            #expect(
                try await client.execute(uri: "/api/settings/ai", method: .get, headers: Self.admin).field("oauth_connected", as: Bool.self) == true)
            let disconnect = try await client.execute(uri: "/api/ai/oauth/disconnect", method: .post, headers: Self.admin)
            #expect(disconnect.status == .ok)
            #expect(try server.dependencies.secrets.get(AIConfiguration.oauthTokensName) == nil)
        }
    }
}

/// The loop's time bound, with a provider that takes a minute of the server's clock per answer
/// and always asks for a tool.
@Suite("Assistant: the time limit")
struct AssistantTimeLimitTests {
    struct MinuteLongProvider: ChatProvider {
        let time: ManualTimeSource
        var kind: ProviderKind { .openai }
        func chat(_ request: ChatRequest, onText: @escaping @Sendable (String) -> Void) async throws -> ChatReply {
            time.advance(by: 60)
            return ChatReply(
                text: "", toolCalls: [ToolCall(id: "1", name: "list_active_alerts", arguments: [:])], usage: TokenUsage(input: 1, output: 1))
        }
        func models() async throws -> [ModelInfo] { [] }
    }

    @Test func theTimeLimitStopsTheLoopOnTheServersClock() async throws {
        try await TestServer.with { server, client in
            var settings = AISettings()
            settings.maxSteps = 50
            settings.timeLimitSeconds = 150
            let answer = try await server.dependencies.assistant.converse(
                "loop", history: [], extraContext: nil, provider: MinuteLongProvider(time: server.time), model: "m", settings: settings,
                onEvent: { _ in })
            #expect(answer.stopReason == "time_limit")
            #expect(answer.steps == 3)  // started at 0, 60 and 120 s; at 180 s the limit of 150 s has passed
            #expect(answer.content.contains("time limit of 150 s"))
        }
    }
}

/// The dashboard's Assistant panel in Debian's chromium, driven by Selenium
/// (Fixtures/tools/assistant-browser.py): a real `pulse` whose assistant talks to the provider
/// fixture; the question is asked in the panel, the answer streams in, the tool call is listed.
@Suite("Assistant panel in a real browser")
struct AssistantBrowserTests {
    @Test(.timeLimit(.minutes(5)))
    func askInThePanelAndSeeTheStreamedAnswerAndTheToolCall() async throws {
        let repository = PeerProcess.repository
        let build = repository.appendingPathComponent(".build")
        let python = build.appendingPathComponent("test-data/selenium-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/selenium-venv.sh (make test does)")
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "Debian's chromium-driver is missing (make test installs it)")
        let fixturePython = try await ChildProcess.run("/bin/bash", [repository.appendingPathComponent("scripts/fakepve-venv.sh").path])
        let tools = repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools")
        let run = try await ChildProcess.run(
            python,
            [
                tools.appendingPathComponent("assistant-browser.py").path,
                "--pulse", build.appendingPathComponent("debug/pulse").path,
                "--fixture-python", fixturePython.text.trimmingCharacters(in: .whitespacesAndNewlines),
                "--fixture", tools.appendingPathComponent("ai-provider-fixture.py").path,
                "--artifacts", build.appendingPathComponent("test-artifacts").path,
            ], mergingErrors: true)
        #expect(run.status == 0, "assistant-browser.py: \(run.text)")
        #expect(run.text.contains("assistant: answered, 1 tool call shown"))
    }
}

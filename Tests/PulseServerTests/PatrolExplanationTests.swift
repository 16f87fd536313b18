import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Assistant
@testable import PulseServer

/// The server wires the assistant's model to patrol: with no model configured a finding has no
/// explanation and nothing is asked; once the AI settings name one (the provider fixture), each
/// new finding is explained by it.
@Suite("Patrol explanations from the assistant's model")
struct PatrolExplanationTests {
    @Test(.timeLimit(.minutes(5)))
    func findingsAreExplainedOnlyOnceAModelIsConfigured() async throws {
        try await AssistantTests.ProviderFixture.with(script: "ai-provider-fixture.py", arguments: []) { fixture in
            try await PatrolRoutesTests.withPatrol { _, client, token in
                let headers: HTTPFields = [.apiToken: token, .contentType: "application/json"]
                func status() async throws -> [String: Any] {
                    try await client.execute(uri: "/api/ai/patrol/status", method: .get, headers: headers) { try $0.jsonObject() }
                }
                func oldAgentFinding() async throws -> [String: Any] {
                    let findings = try await client.execute(uri: "/api/ai/patrol/findings", method: .get, headers: headers) {
                        try PatrolRoutesTests.array($0)
                    }
                    return try #require(findings.first { $0["detector"] as? String == "agent_version" })
                }

                #expect(try await status()["explanations_enabled"] as? Bool == false)
                _ = try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: headers)
                #expect(try await oldAgentFinding()["explanation"] == nil, "no model: no explanation")
                let asked = try await fixture.command("requests")
                #expect(asked == "ok []", "no model configured: the provider was never asked (\(asked))")

                // The finding is cleared so the next run raises it anew, now with a model to ask.
                _ = try await client.execute(uri: "/api/ai/patrol/findings", method: .delete, headers: headers)
                try await AssistantTests.configure(client, AssistantTests.settings(.openai, model: "echo-context", fixture: fixture.info.url))
                #expect(try await status()["explanations_enabled"] as? Bool == true)
                _ = try await client.execute(uri: "/api/ai/patrol/run", method: .post, headers: headers)
                let explanation = try #require(try await oldAgentFinding()["explanation"] as? String)
                #expect(explanation.contains(Assistant.plainInstructions.prefix(40)), "the model's answer: \(explanation.prefix(200))")
            }
        }
    }
}

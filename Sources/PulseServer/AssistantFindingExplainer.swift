import Assistant
import Patrol

/// Patrol's explanations from the assistant's model: one plain prompt, no tools, counted in the
/// assistant's token costs. Available while the AI settings have a model chosen, switched on and
/// its provider configured.
struct AssistantFindingExplainer: FindingExplainer {
    let assistant: Assistant

    func explain(_ prompt: String) async throws -> String {
        try await assistant.complete(prompt: prompt)
    }

    var isAvailable: Bool {
        get async { await assistant.configuration.isReady() }
    }
}

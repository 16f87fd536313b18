import AgentProtocol
import Foundation

/// Host and Docker agents running a version older than the one this server hands out.
struct AgentVersionDetector: Detector {
    let name = "agent_version"

    var rule: String {
        "An agent runs an older version than the server's agent version (PULSE_AGENT_VERSION); warning when a major or minor "
            + "version behind, watch for a patch"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        guard let expectedText = inputs.expectedAgentVersion, let expected = SemanticVersion(expectedText) else { return [] }
        return inputs.agents.compactMap { agent -> Detection? in
            guard let running = SemanticVersion(agent.version), running < expected else { return nil }
            let minorBehind = running.major < expected.major || running.minor < expected.minor
            let resourceId = agent.kind == "host" ? "host:\(agent.id)" : "docker:\(agent.id)"
            return Detection(
                detector: name, severity: minorBehind ? .warning : .watch, category: .maintenance,
                resourceId: resourceId, resourceName: agent.name, resourceType: agent.kind,
                title: "Agent on \(agent.name) is out of date",
                description: "The agent on \(agent.name) runs \(running), the server offers \(expected).",
                recommendation: "Let the agent update itself (auto-update) or reinstall it with the install command.",
                evidence: [
                    "running_major": Double(running.major), "running_minor": Double(running.minor), "running_patch": Double(running.patch),
                    "expected_major": Double(expected.major), "expected_minor": Double(expected.minor),
                    "expected_patch": Double(expected.patch),
                ])
        }
    }
}

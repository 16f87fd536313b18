/// A language model that explains a finding in prose. Patrol owns this seam: the server wires the
/// configured AI provider to it; without one, findings carry no explanation.
package protocol FindingExplainer: Sendable {
    /// The model's answer to `prompt`; throws when the provider fails (the finding then stays
    /// without an explanation).
    func explain(_ prompt: String) async throws -> String
    /// Whether a model is there to ask now (a provider configured and switched on); patrol asks
    /// nothing, and logs nothing, while it is not.
    var isAvailable: Bool { get async }
}

extension FindingExplainer {
    package var isAvailable: Bool { get async { true } }
}

/// Where new findings are announced (the server's notification channels).
package protocol FindingNotifier: Sendable {
    /// Called once per run with the findings it raised that are warning or worse and not
    /// suppressed; not called when there are none.
    func notify(_ findings: [Finding]) async
}

extension Finding {
    /// What a model is asked about this finding: the facts, not the state.
    package var explanationPrompt: String {
        let numbers = evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\(formatted($0.value))" }.joined(separator: ", ")
        return """
            Explain this infrastructure monitoring finding to an operator in at most three sentences: the likely cause, \
            the risk, and the first thing to check. Do not invent numbers.
            Finding: \(title)
            Resource: \(resourceName) (\(resourceType)\(node.isEmpty ? "" : " on \(node)"))
            Severity: \(severity.rawValue)
            Details: \(description)
            Evidence: \(numbers)
            Suggested action: \(recommendation)
            """
    }
}

/// The certificates of configured instances with their expiry (the server reads them with a TLS
/// handshake; see `InstanceCertificates`).
package protocol CertificateSource: Sendable {
    func certificates() async -> [CertificateReading]
}

/// One deterministic check over a run's inputs. No model: the same inputs give the same detections.
package protocol Detector: Sendable {
    /// Stable name; part of every finding's ID.
    var name: String { get }
    /// What it looks for, with its thresholds, as a sentence (`/api/ai/patrol/status`).
    var rule: String { get }
    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection]
}

extension PatrolThresholds {
    /// The detectors patrol runs, in order.
    package var detectors: [any Detector] {
        [
            FillForecastDetector(thresholds: self), MemoryGrowthDetector(thresholds: self), BackupAgeDetector(thresholds: self),
            RestartLoopDetector(thresholds: self), SMARTWorseningDetector(thresholds: self), NodeBalanceDetector(thresholds: self),
            AgentVersionDetector(), CertificateExpiryDetector(thresholds: self),
        ]
    }
}

/// Numbers in sentences: at most one decimal, no trailing `.0`.
func formatted(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}

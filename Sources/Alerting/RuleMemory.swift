import AgentProtocol
package import Foundation
import PulseCore

/// What rule-based checks remember between evaluations: container restart counts over time and
/// the SMART sector counts a disk started with.
package struct RuleMemory: Codable, Sendable, Equatable {
    package struct RestartSample: Codable, Sendable, Equatable {
        package var time: Date
        package var count: Int
    }

    /// Per container resource ID, oldest first, within the restart window.
    package var restarts: [String: [RestartSample]] = [:]
    /// Per disk key, the reallocated + pending sector count first seen (or accepted by a clear).
    var sectorBaselines: [String: Int64] = [:]

    /// Records `count` and says whether it rose by `rise` or more within `window` seconds.
    mutating func restartLoop(_ key: String, count: Int, at now: Date, rise: Int, window: TimeInterval) -> (holds: Bool, rose: Int) {
        var samples = (restarts[key] ?? []).filter { now.timeIntervalSince($0.time) <= window }
        // A lower count means the container was re-created: start again from it.
        if let last = samples.last, count < last.count { samples.removeAll() }
        if samples.last?.count != count { samples.append(RestartSample(time: now, count: count)) }
        restarts[key] = samples
        let rose = count - (samples.first?.count ?? count)
        return (rise > 0 && rose >= rise, rose)
    }

    /// Reallocated plus pending sectors as the sector rule counts them: a negative count reads as
    /// 0 and the sum stops at Int64.max. Agents may send any Int64, and an overflowing sum (or a
    /// difference with a negative baseline) trapped in the evaluation and ended the server.
    static func sectorCount(_ attributes: SMARTAttributes?) -> Int64 {
        let reallocated = max(0, attributes?.reallocatedSectors ?? 0)
        let pending = max(0, attributes?.pendingSectors ?? 0)
        let (sum, overflow) = reallocated.addingReportingOverflow(pending)
        return overflow ? .max : sum
    }

    /// The rise of a disk's bad-sector count since its baseline (set on first sight).
    mutating func sectorRise(_ key: String, count: Int64) -> Int64 {
        guard let baseline = sectorBaselines[key] else {
            sectorBaselines[key] = count
            return 0
        }
        if count < baseline { sectorBaselines[key] = count }
        return max(0, count - baseline)
    }

    /// The alert detail naming a sector baseline, so clearing the alert can accept the new count.
    static let baselineKeyDetail = "baselineKey"

    /// Takes the current count of the disk an alert names as its new baseline.
    mutating func acceptSectors(of alert: Alert) {
        guard let key = alert.metadata?.details?[Self.baselineKeyDetail] else { return }
        // The alert's value is the count as a Double: Int64.max comes back as 2^63, one past it.
        sectorBaselines[key] = Int64(exactly: max(0, alert.value).rounded()) ?? .max
    }

    /// Forgets what belongs to resources no longer present.
    package mutating func keep(restartKeys: Set<String>, diskKeys: Set<String>) {
        restarts = restarts.filter { restartKeys.contains($0.key) }
        sectorBaselines = sectorBaselines.filter { diskKeys.contains($0.key) }
    }
}

import AgentProtocol
import Foundation
import PulseCore

/// Disks getting worse: SMART damage counters (reallocated, pending and uncorrectable sectors, NVMe
/// media errors) above their oldest value within the window, a failed self-assessment, or little
/// life left (Proxmox wear, NVMe endurance used).
struct SMARTWorseningDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "smart_worsening"

    var rule: String {
        "A disk's SMART health is FAILED (critical), a damage counter (reallocated, pending or offline-uncorrectable sectors, "
            + "NVMe media errors) rose above its oldest value of the last \(formatted(thresholds.smartWindow / 86_400)) days, "
            + "or ≤ \(thresholds.wearoutLowPercent) % of its life is left (Proxmox wearout, NVMe percentage used)"
    }

    private struct Disk {
        var key: String
        var name: String
        var node: String
        var failed: Bool
        var wearout: Int?
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        var disks: [Disk] = []
        for reading in inputs.readings where reading.kind == .host {
            for disk in reading.disks {
                disks.append(
                    Disk(
                        key: "\(reading.id)/\(disk.device)", name: "\(reading.name) \(disk.device)", node: reading.node,
                        failed: disk.health?.uppercased() == "FAILED", wearout: disk.attributes?.percentageUsed.map { max(0, 100 - $0) }))
            }
        }
        for disk in inputs.physicalDisks {
            let health = disk.health.uppercased()
            disks.append(
                Disk(
                    key: disk.id, name: disk.name, node: disk.node, failed: !["", "PASSED", "OK", "UNKNOWN"].contains(health),
                    wearout: disk.wearout > 0 ? disk.wearout : nil))
        }
        let current = PatrolMemory.diskCounters(inputs)
        return disks.compactMap { disk -> Detection? in
            var evidence: [String: Double] = [:]
            var worse: [String] = []
            if let now = current[disk.key], let oldest = memory.disks[disk.key]?.first {
                for (counter, value) in now.sorted(by: { $0.key < $1.key }) {
                    guard let before = oldest.counters[counter], value > before else { continue }
                    worse.append("\(counter.replacingOccurrences(of: "_", with: " ")) \(before) → \(value)")
                    evidence[counter] = Double(value)
                    evidence["\(counter)_before"] = Double(before)
                }
            }
            let worn = disk.wearout.map { $0 <= thresholds.wearoutLowPercent } ?? false
            if let wearout = disk.wearout { evidence["wearout_left_pct"] = Double(wearout) }
            guard disk.failed || !worse.isEmpty || worn else { return nil }
            evidence["health_failed"] = disk.failed ? 1 : 0
            var reasons: [String] = []
            if disk.failed { reasons.append("its SMART self-assessment failed") }
            if !worse.isEmpty { reasons.append("counters rose: \(worse.joined(separator: ", "))") }
            if worn, let wearout = disk.wearout { reasons.append("\(wearout) % of its life is left") }
            return Detection(
                detector: name, key: disk.key, severity: disk.failed ? .critical : .warning, category: .reliability,
                resourceId: disk.key, resourceName: disk.name, resourceType: "disk", node: disk.node,
                title: "Disk \(disk.name) is getting worse",
                description: "Disk \(disk.name): \(reasons.joined(separator: "; ")).",
                recommendation: "Check the disk's backups and plan its replacement; run a long SMART self-test to confirm.",
                evidence: evidence)
        }
    }
}

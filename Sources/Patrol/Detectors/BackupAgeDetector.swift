import Foundation
import PulseCore

/// Guests (not templates) without a backup newer than the configured age, on PVE storage or PBS.
struct BackupAgeDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "backup_age"

    var rule: String {
        "A guest's newest backup (PVE storage or PBS) is older than \(formatted(thresholds.backupMaxAge / 3600)) h, or it has none; "
            + "critical beyond twice that or with none"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        inputs.readings.compactMap { reading -> Detection? in
            guard reading.kind == .vm || reading.kind == .container else { return nil }
            let guest = "\(reading.kind == .vm ? "VM" : "Container") \(reading.name)"
            guard let newest = reading.newestBackup else {
                return Detection(
                    detector: name, severity: .critical, category: .backup, resourceId: reading.id, resourceName: reading.name,
                    resourceType: reading.kind.rawValue, node: reading.node, title: "\(guest) has no backup",
                    description: "No backup of VMID \(reading.vmid ?? 0) was found on PVE storage or PBS.",
                    recommendation: "Add the guest to a backup job (vzdump or PBS) and check that the job runs.",
                    evidence: ["max_age_hours": thresholds.backupMaxAge / 3600])
            }
            let age = inputs.now.timeIntervalSince(newest)
            guard age > thresholds.backupMaxAge else { return nil }
            return Detection(
                detector: name, severity: age > 2 * thresholds.backupMaxAge ? .critical : .warning, category: .backup,
                resourceId: reading.id, resourceName: reading.name, resourceType: reading.kind.rawValue, node: reading.node,
                title: "\(guest) was last backed up \(formatted(age / 86_400)) days ago",
                description:
                    "The newest backup of VMID \(reading.vmid ?? 0) is \(formatted(age / 3600)) hours old; "
                    + "backups may be at most \(formatted(thresholds.backupMaxAge / 3600)) hours old.",
                recommendation: "Check the backup job for this guest: its schedule, its last task log and the target storage.",
                evidence: ["age_hours": age / 3600, "max_age_hours": thresholds.backupMaxAge / 3600])
        }
    }
}

import Foundation
import PulseCore

/// Disks and storage whose usage, fitted linearly over recent history, reaches 100 % within the
/// horizon (7 days by default; critical within 2).
struct FillForecastDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "disk_forecast"

    var rule: String {
        "Disk or storage usage, fitted linearly over the last \(formatted(thresholds.fillLookback / 3600)) h "
            + "(≥ \(thresholds.fitMinimumPoints) hourly points over ≥ \(formatted(thresholds.fitMinimumSpan / 3600)) h, "
            + "R² ≥ \(formatted(thresholds.fillMinimumFit))), reaches 100 % within \(formatted(thresholds.fillHorizonDays)) days; "
            + "critical within \(formatted(thresholds.fillCriticalDays))"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        inputs.readings.compactMap { reading -> Detection? in
            let metric: String
            switch reading.kind {
            case .node, .vm, .container, .host: metric = "disk"
            case .storage: metric = "usage"
            default: return nil
            }
            let since = inputs.now.timeIntervalSince1970 - thresholds.fillLookback
            let points = inputs.history(of: reading, metric: metric).filter { $0.time >= since }
            guard points.count >= thresholds.fitMinimumPoints, let first = points.first, let last = points.last,
                last.time - first.time >= thresholds.fitMinimumSpan, let fit = LinearFit(points),
                fit.slopePerDay > 0, fit.fit >= thresholds.fillMinimumFit
            else { return nil }
            let current = reading.values[metric == "usage" ? .usage : .disk] ?? last.value
            let days = max(0, (100 - current) / fit.slopePerDay)
            guard days <= thresholds.fillHorizonDays else { return nil }
            let what = reading.kind == .storage ? "Storage" : "Disk"
            return Detection(
                detector: name, severity: days <= thresholds.fillCriticalDays ? .critical : .warning, category: .capacity,
                resourceId: reading.id, resourceName: reading.name, resourceType: reading.kind.rawValue, node: reading.node,
                title: "\(what) of \(reading.name) fills in about \(formatted(days)) days",
                description:
                    "\(what) usage is \(formatted(current)) % and has grown \(formatted(fit.slopePerDay)) percentage points a day "
                    + "over the last \(formatted((last.time - first.time) / 3600)) hours; at that rate it is full in \(formatted(days)) days.",
                recommendation: "Free space (old backups, snapshots, logs, images) or grow the \(what.lowercased()) before it fills.",
                evidence: [
                    "current_pct": current, "daily_change_pct": fit.slopePerDay, "days_to_full": days, "fit_r2": fit.fit,
                    "points": Double(points.count),
                ])
        }
    }
}

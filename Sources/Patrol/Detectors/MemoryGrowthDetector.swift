import Foundation
import PulseCore

/// Memory that grows steadily (a leak, or a cache that never stops): a good linear fit with a
/// steep slope and a real rise over the last day.
struct MemoryGrowthDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "memory_growth"

    var rule: String {
        "Memory usage over the last \(formatted(thresholds.memoryLookback / 3600)) h grows at least "
            + "\(formatted(thresholds.memoryGrowthPerDay)) percentage points a day, rises at least "
            + "\(formatted(thresholds.memoryMinimumRise)) points, with R² ≥ \(formatted(thresholds.memoryMinimumFit)); "
            + "critical when the line reaches 100 % within 2 days"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        var detections: [Detection] = []
        for reading in inputs.readings {
            switch reading.kind {
            case .node, .vm, .container, .host:
                if let detection = check(
                    inputs.history(of: reading, metric: "memory"), now: inputs.now.timeIntervalSince1970,
                    id: reading.id, name: reading.name, type: reading.kind.rawValue, node: reading.node)
                {
                    detections.append(detection)
                }
            case .dockerHost:
                for container in reading.containers where container.state == "running" {
                    let key = SeriesKey(resourceType: "dockerContainer", resourceId: "\(reading.recordID)/\(container.id)", metric: "memory")
                    if let detection = check(
                        inputs.history[key] ?? [], now: inputs.now.timeIntervalSince1970,
                        id: "\(reading.id)/\(container.id)", name: container.name, type: "dockerContainer", node: reading.node)
                    {
                        detections.append(detection)
                    }
                }
            default:
                continue
            }
        }
        return detections
    }

    private func check(_ history: [HistoryPoint], now: Double, id: String, name resource: String, type: String, node: String) -> Detection? {
        let points = history.filter { $0.time >= now - thresholds.memoryLookback }
        guard points.count >= thresholds.fitMinimumPoints, let first = points.first, let last = points.last,
            last.time - first.time >= thresholds.fitMinimumSpan, let fit = LinearFit(points)
        else { return nil }
        let rise = fit.value(at: last.time) - fit.value(at: first.time)
        guard fit.slopePerDay >= thresholds.memoryGrowthPerDay, rise >= thresholds.memoryMinimumRise, fit.fit >= thresholds.memoryMinimumFit
        else { return nil }
        let daysToFull = max(0, (100 - last.value) / fit.slopePerDay)
        return Detection(
            detector: name, severity: daysToFull <= 2 ? .critical : .warning, category: .performance,
            resourceId: id, resourceName: resource, resourceType: type, node: node,
            title: "Memory of \(resource) grows steadily",
            description:
                "Memory usage rose from \(formatted(first.value)) % to \(formatted(last.value)) % in "
                + "\(formatted((last.time - first.time) / 3600)) hours, \(formatted(fit.slopePerDay)) points a day, without falling back.",
            recommendation: "Look for a process or service whose memory keeps growing (a leak); restart or fix it before memory runs out.",
            evidence: [
                "current_pct": last.value, "daily_change_pct": fit.slopePerDay, "rise_pct": rise, "fit_r2": fit.fit,
                "days_to_full": daysToFull,
            ])
    }
}

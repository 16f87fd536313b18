import Foundation
import PulseCore

/// Docker containers whose restart count, and guests whose uptime, show repeated restarts within
/// the window (from what patrol observed in earlier runs).
struct RestartLoopDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "restart_loop"

    var rule: String {
        "A container or guest restarted at least \(thresholds.restartCount) times within "
            + "\(formatted(thresholds.restartWindow / 60)) minutes (restart counts and uptimes seen by patrol); "
            + "critical at twice that"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        var detections: [Detection] = []
        for reading in inputs.readings {
            switch reading.kind {
            case .dockerHost:
                for container in reading.containers {
                    let observed = memory.containerRestarts["\(reading.recordID)/\(container.id)"] ?? []
                    guard let lowest = observed.map(\.value).min() else { continue }
                    let restarts = max(0, Int(Int64(container.restartCount) - lowest))
                    guard restarts >= thresholds.restartCount else { continue }
                    detections.append(
                        detection(
                            id: "\(reading.id)/\(container.id)", name: container.name, type: "dockerContainer", node: reading.node,
                            restarts: restarts, what: "Container"))
                }
            case .vm, .container:
                let restarts = memory.guestRuns[reading.id]?.restarts.count ?? 0
                guard restarts >= thresholds.restartCount else { continue }
                detections.append(
                    detection(
                        id: reading.id, name: reading.name, type: reading.kind.rawValue, node: reading.node, restarts: restarts,
                        what: reading.kind == .vm ? "VM" : "Container"))
            default:
                continue
            }
        }
        return detections
    }

    private func detection(id: String, name resource: String, type: String, node: String, restarts: Int, what: String) -> Detection {
        let minutes = thresholds.restartWindow / 60
        return Detection(
            detector: name, severity: restarts >= 2 * thresholds.restartCount ? .critical : .warning, category: .reliability,
            resourceId: id, resourceName: resource, resourceType: type, node: node,
            title: "\(what) \(resource) keeps restarting",
            description: "\(what) \(resource) restarted \(restarts) times in the last \(formatted(minutes)) minutes.",
            recommendation: "Read its logs from just before a restart (exit code, out-of-memory kills, failed health checks) and fix the cause.",
            evidence: ["restarts": Double(restarts), "window_minutes": minutes])
    }
}

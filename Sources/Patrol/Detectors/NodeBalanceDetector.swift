import Foundation
import PulseCore

/// Nodes of one Proxmox instance far apart in memory or CPU use: the busiest node is flagged.
struct NodeBalanceDetector: Detector {
    let thresholds: PatrolThresholds
    let name = "node_balance"

    var rule: String {
        "Online nodes of one instance whose memory or CPU use differs by ≥ \(formatted(thresholds.balanceSpread)) percentage points "
            + "(watch)"
    }

    func detect(_ inputs: PatrolInputs, memory: PatrolMemory) -> [Detection] {
        let nodes = inputs.readings.filter { $0.kind == .node && $0.status == "online" }
        let byInstance = Dictionary(grouping: nodes, by: \.instance)
        var detections: [Detection] = []
        for (instance, members) in byInstance.sorted(by: { $0.key < $1.key }) where members.count >= 2 {
            for metric in [AlertMetric.memory, .cpu] {
                let values = members.compactMap { node in node.values[metric].map { (node, $0) } }
                guard let high = values.max(by: { $0.1 < $1.1 }), let low = values.min(by: { $0.1 < $1.1 }) else { continue }
                let spread = high.1 - low.1
                guard spread >= thresholds.balanceSpread else { continue }
                detections.append(
                    Detection(
                        detector: name, key: "\(instance)/\(metric.rawValue)", severity: .watch, category: .performance,
                        resourceId: high.0.id, resourceName: high.0.name, resourceType: "node", node: high.0.node,
                        title: "Nodes of \(instance) are out of balance (\(metric.rawValue))",
                        description:
                            "\(high.0.name) uses \(formatted(high.1)) % \(metric.rawValue) while \(low.0.name) uses \(formatted(low.1)) %, "
                            + "\(formatted(spread)) points apart.",
                        recommendation: "Migrate some guests from \(high.0.name) to \(low.0.name), or review HA and placement rules.",
                        evidence: ["highest_pct": high.1, "lowest_pct": low.1, "spread_pct": spread, "nodes": Double(members.count)]))
            }
        }
        return detections
    }
}

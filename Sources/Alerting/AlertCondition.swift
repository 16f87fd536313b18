package import Foundation
package import PulseCore

/// The resource an alert is about.
package struct AlertResource: Sendable, Equatable {
    package var id: String
    package var name: String
    /// `node`, `vm`, `container`, `host`, `dockerHost`, `dockerContainer`, `storage`, `pbs`, `pmg`,
    /// `kubernetesCluster`, `disk`.
    package var type: String
    package var node: String = ""
    package var instance: String = ""
}

/// One thing that may be alerting right now, as seen in one evaluation.
///
/// The engine keeps no knowledge of resource types: everything type-specific (which metric,
/// which thresholds, which rule) is decided when conditions are built from the state.
package struct AlertCondition: Sendable, Equatable {
    package var id: String
    package var type: String
    package var resource: AlertResource
    package var check: Check

    package enum Check: Sendable, Equatable {
        /// A measured value against a trigger/clear pair; fires after `delay` seconds at or above
        /// the trigger, turns critical at trigger + 10, clears at or below `clear`.
        case threshold(value: Double, pair: ThresholdPair, delay: TimeInterval, unit: String, label: String)
        /// A rule that holds or not (offline, RAID degraded, container unhealthy, …); fires once it
        /// has held for `confirmations` consecutive evaluations.
        case rule(holds: Bool, level: AlertLevel, value: Double, threshold: Double, message: String, confirmations: Int, details: [String: String]?)
    }

    package static func threshold(
        _ resource: AlertResource, _ metric: AlertMetric, value: Double, pair: ThresholdPair, delay: TimeInterval
    ) -> AlertCondition {
        AlertCondition(
            id: "\(resource.id)-\(metric.rawValue)", type: metric.rawValue, resource: resource,
            check: .threshold(value: value, pair: pair, delay: delay, unit: metric.unit, label: metric.label))
    }
}

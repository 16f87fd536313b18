import Foundation
package import PulseCore

/// A trigger and a clear level for one metric (hysteresis): an alert fires when the value reaches
/// `trigger` and ends only when it falls to `clear`, so a value hovering around the trigger does
/// not flap. A negative trigger (Pulse's `-1`) disables the metric.
package struct ThresholdPair: Codable, Sendable, Equatable {
    package var trigger: Double
    package var clear: Double

    package init(trigger: Double, clear: Double) {
        self.trigger = trigger
        self.clear = clear
    }

    /// Pulse also accepts a bare number: the clear level is then 5 below it.
    package init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer().decode(Double.self) {
            self.init(trigger: single, clear: single < 0 ? single : max(0, single - 5))
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let trigger = try container.decode(Double.self, forKey: .trigger)
        self.init(trigger: trigger, clear: try container.decodeIfPresent(Double.self, forKey: .clear) ?? max(0, trigger - 5))
    }

    var isEnabled: Bool { trigger >= 0 }

    /// The level at which a firing alert becomes critical.
    var criticalLevel: Double { trigger + 10 }

    package static let disabled = ThresholdPair(trigger: -1, clear: -1)
}

/// The thresholds of one resource type, or one resource's overrides (Pulse's `ThresholdConfig`).
/// In an override a missing pair means "use the default"; a pair with trigger `-1` disables it.
package struct ThresholdConfig: Codable, Sendable, Equatable {
    package var cpu: ThresholdPair?
    package var memory: ThresholdPair?
    package var disk: ThresholdPair?
    package var diskRead: ThresholdPair?
    package var diskWrite: ThresholdPair?
    package var networkIn: ThresholdPair?
    package var networkOut: ThresholdPair?
    package var usage: ThresholdPair?
    package var temperature: ThresholdPair?
    /// No alerts at all for the resource.
    package var disabled: Bool?
    /// No offline alerts for the resource.
    var disableConnectivity: Bool?
    /// `warning` or `critical` for a powered-off guest; none when unset.
    var poweredOffSeverity: AlertLevel?
    var note: String?

    /// The pair for `metric`, or nil when the metric has none here.
    package subscript(metric: AlertMetric) -> ThresholdPair? {
        switch metric {
        case .cpu: cpu
        case .memory: memory
        case .disk: disk
        case .diskRead: diskRead
        case .diskWrite: diskWrite
        case .networkIn: networkIn
        case .networkOut: networkOut
        case .usage: usage
        case .temperature: temperature
        }
    }

    /// `self`'s pairs where set, `defaults`' elsewhere.
    func overriding(_ defaults: ThresholdConfig) -> ThresholdConfig {
        ThresholdConfig(
            cpu: cpu ?? defaults.cpu, memory: memory ?? defaults.memory, disk: disk ?? defaults.disk,
            diskRead: diskRead ?? defaults.diskRead, diskWrite: diskWrite ?? defaults.diskWrite,
            networkIn: networkIn ?? defaults.networkIn, networkOut: networkOut ?? defaults.networkOut,
            usage: usage ?? defaults.usage, temperature: temperature ?? defaults.temperature,
            disabled: disabled ?? defaults.disabled, disableConnectivity: disableConnectivity ?? defaults.disableConnectivity,
            poweredOffSeverity: poweredOffSeverity ?? defaults.poweredOffSeverity, note: note ?? defaults.note)
    }
}

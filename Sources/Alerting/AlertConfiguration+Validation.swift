import Foundation
import PulseCore
import PulseSupport

extension AlertConfiguration {
    /// Refuses settings that cannot work, naming the field: a clear level above its trigger
    /// (the alert could never clear), negative delays, durations beyond ten years, unreadable
    /// quiet hours.
    package func validate() throws {
        func check(_ pair: ThresholdPair?, _ field: String) throws {
            guard let pair, pair.isEnabled else { return }
            guard pair.clear <= pair.trigger else {
                throw DomainError.invalid("\(field).clear (\(pair.clear)) must not be above \(field).trigger (\(pair.trigger))", field: field)
            }
        }
        func check(_ config: ThresholdConfig, _ field: String) throws {
            for metric in AlertMetric.allCases { try check(config[metric], "\(field).\(metric.rawValue)") }
        }
        try check(guestDefaults, "guestDefaults")
        try check(nodeDefaults, "nodeDefaults")
        try check(hostDefaults, "hostDefaults")
        try check(storageDefault, "storageDefault")
        try check(dockerDefaults.cpu, "dockerDefaults.cpu")
        try check(dockerDefaults.memory, "dockerDefaults.memory")
        for (id, override) in overrides { try check(override, "overrides.\(id)") }
        if timeThreshold < 0 || timeThresholds.values.contains(where: { $0 < 0 }) {
            throw DomainError.invalid("time thresholds must not be negative", field: "timeThresholds")
        }
        if offlineConfirmations < 1 {
            throw DomainError.invalid("offlineConfirmations must be at least 1", field: "offlineConfirmations")
        }
        for (field, value, limit) in durations where value > limit {
            throw DomainError.invalid("\(field) must be at most \(limit) (ten years)", field: field)
        }
        let hours = schedule.quietHours
        if hours.enabled, TimeZone(identifier: hours.timezone) == nil {
            throw DomainError.invalid("unknown time zone \(hours.timezone)", field: "schedule.quietHours.timezone")
        }
        for (field, value) in [("start", hours.start), ("end", hours.end)] where !Self.isClockTime(value) {
            throw DomainError.invalid("expected HH:mm, found \(value)", field: "schedule.quietHours.\(field)")
        }
    }

    /// Every duration with the most it may be: ten years in its unit. The engine turns them into
    /// seconds (`maxAlertAgeDays * 86_400`), which trapped on overflow and ended the server.
    private var durations: [(field: String, value: Int, limit: Int)] {
        let days = 3650
        let hours = days * 24
        let minutes = hours * 60
        let seconds = minutes * 60
        var list: [(field: String, value: Int, limit: Int)] = [
            ("observationWindowHours", observationWindowHours, hours), ("timeThreshold", timeThreshold, seconds),
            ("suppressionWindow", suppressionWindow, minutes), ("flappingWindowSeconds", flappingWindowSeconds, seconds),
            ("flappingCooldownMinutes", flappingCooldownMinutes, minutes), ("maxAlertAgeDays", maxAlertAgeDays, days),
            ("maxAcknowledgedAgeDays", maxAcknowledgedAgeDays, days), ("autoAcknowledgeAfterHours", autoAcknowledgeAfterHours, hours),
            ("schedule.cooldown", schedule.cooldown, minutes), ("schedule.grouping.window", schedule.grouping.window, seconds),
            ("dockerDefaults.restartWindow", dockerDefaults.restartWindow, seconds),
            ("dockerDefaults.updateAlertDelayHours", dockerDefaults.updateAlertDelayHours ?? -1, hours),
            ("snapshotDefaults.warningDays", snapshotDefaults.warningDays, days),
            ("snapshotDefaults.criticalDays", snapshotDefaults.criticalDays, days),
            ("backupDefaults.warningDays", backupDefaults.warningDays, days), ("backupDefaults.criticalDays", backupDefaults.criticalDays, days),
        ]
        list += timeThresholds.sorted { $0.key < $1.key }.map { ("timeThresholds.\($0.key)", $0.value, seconds) }
        for (kind, metrics) in metricTimeThresholds.sorted(by: { $0.key < $1.key }) {
            list += metrics.sorted { $0.key < $1.key }.map { ("metricTimeThresholds.\(kind).\($0.key)", $0.value, seconds) }
        }
        return list
    }

    private static func isClockTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return false }
        return (0..<24).contains(hour) && (0..<60).contains(minute)
    }
}

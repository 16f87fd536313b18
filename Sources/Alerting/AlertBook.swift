package import Foundation
package import PulseCore

/// The alerts' state and the rules that move it: which alerts are active, which conditions are
/// waiting out their delay, which alerts flap. A value type, so the engine can persist it whole
/// and tests can drive it with plain dates.
package struct AlertBook: Codable, Sendable, Equatable {
    package private(set) var active: [String: Alert] = [:]
    /// Newest first, bounded by `historyLimit` and the configuration's `maxAlertAgeDays`.
    package private(set) var history: [ResolvedAlert] = []
    /// Conditions at or above their trigger, since when; or a rule's consecutive evaluations.
    private var pendingSince: [String: Date] = [:]
    private var confirmations: [String: Int] = [:]
    /// Alerts a user cleared while their condition still held: they do not fire again until the
    /// condition has ended once.
    private var clearedWhileHolding: Set<String> = []
    /// Fire and resolve times per alert, for flapping detection.
    private var changes: [String: [Date]] = [:]
    private var flappingUntil: [String: Date] = [:]

    static let historyLimit = 1_000

    /// Applies one evaluation's conditions; alerts whose condition is absent resolve.
    ///
    /// `countsConfirmations`: whether this evaluation is one of the regular checks that count
    /// towards a rule's consecutive confirmations (an offline host confirmed three times). An
    /// evaluation on a state change leaves the counts as they are, so a burst of reports from
    /// other agents does not confirm an outage in a second.
    mutating func apply(
        _ conditions: [AlertCondition], at now: Date, configuration: AlertConfiguration, countsConfirmations: Bool = true
    ) -> [AlertEvent] {
        var events: [AlertEvent] = []
        var seen: Set<String> = []
        for condition in conditions {
            seen.insert(condition.id)
            if let event = apply(condition, at: now, configuration: configuration, countsConfirmations: countsConfirmations) {
                events.append(event)
            }
        }
        for id in active.keys where !seen.contains(id) {
            events.append(resolve(id, at: now, configuration: configuration))
        }
        for id in Set(pendingSince.keys).union(confirmations.keys).union(clearedWhileHolding) where !seen.contains(id) {
            forgetPending(id)
        }
        autoAcknowledge(at: now, configuration: configuration)
        pruneHistory(at: now, configuration: configuration)
        return events
    }

    private mutating func apply(
        _ condition: AlertCondition, at now: Date, configuration: AlertConfiguration, countsConfirmations: Bool
    ) -> AlertEvent? {
        let id = condition.id
        switch condition.check {
        case .threshold(let value, let pair, let delay, let unit, let label):
            if var alert = active[id] {
                guard value > pair.clear else { return resolve(id, at: now, configuration: configuration) }
                let level: AlertLevel = value >= pair.criticalLevel ? .critical : .warning
                let escalated = level > alert.level
                alert.value = value
                alert.threshold = pair.trigger
                alert.level = level
                alert.lastSeen = now
                alert.message = Self.thresholdMessage(condition.resource, label: label, value: value, pair: pair, unit: unit)
                alert.metadata?.clearThreshold = pair.clear
                active[id] = alert
                return escalated ? .fired(alert) : nil
            }
            guard value >= pair.trigger else {
                forgetPending(id)
                return nil
            }
            let since = pendingSince[id] ?? now
            pendingSince[id] = since
            guard now.timeIntervalSince(since) >= delay, mayFire(id, at: now) else { return nil }
            let level: AlertLevel = value >= pair.criticalLevel ? .critical : .warning
            return fire(
                condition, level: level, value: value, threshold: pair.trigger,
                message: Self.thresholdMessage(condition.resource, label: label, value: value, pair: pair, unit: unit),
                metadata: AlertMetadata(resourceType: condition.resource.type, clearThreshold: pair.clear), at: now,
                configuration: configuration)

        case .rule(let holds, let level, let value, let threshold, let message, let needed, let details):
            if var alert = active[id] {
                guard holds else { return resolve(id, at: now, configuration: configuration) }
                let escalated = level > alert.level
                alert.level = level
                alert.value = value
                alert.message = message
                alert.lastSeen = now
                alert.metadata?.details = details
                active[id] = alert
                return escalated ? .fired(alert) : nil
            }
            guard holds else {
                forgetPending(id)
                return nil
            }
            if needed > 1, !countsConfirmations {
                confirmations[id] = confirmations[id] ?? 0
                return nil
            }
            let count = (confirmations[id] ?? 0) + 1
            confirmations[id] = count
            guard count >= needed, mayFire(id, at: now) else { return nil }
            return fire(
                condition, level: level, value: value, threshold: threshold, message: message,
                metadata: AlertMetadata(resourceType: condition.resource.type, details: details), at: now,
                configuration: configuration)
        }
    }

    /// When the first of `conditions` that is waiting out its delay will have waited long enough;
    /// nil when none is waiting.
    func deadline(of conditions: [AlertCondition]) -> Date? {
        conditions.compactMap { condition -> Date? in
            guard case .threshold(_, _, let delay, _, _) = condition.check, active[condition.id] == nil,
                let since = pendingSince[condition.id]
            else { return nil }
            return since.addingTimeInterval(delay)
        }.min()
    }

    /// Not cleared by hand while holding, and not flapping.
    private func mayFire(_ id: String, at now: Date) -> Bool {
        if clearedWhileHolding.contains(id) { return false }
        if let until = flappingUntil[id], now < until { return false }
        return true
    }

    private mutating func fire(
        _ condition: AlertCondition, level: AlertLevel, value: Double, threshold: Double, message: String,
        metadata: AlertMetadata, at now: Date, configuration: AlertConfiguration
    ) -> AlertEvent {
        let alert = Alert(
            id: condition.id, type: condition.type, level: level, resourceId: condition.resource.id,
            resourceName: condition.resource.name, node: condition.resource.node, instance: condition.resource.instance,
            message: message, value: value, threshold: threshold, startTime: now, lastSeen: now, acknowledged: false,
            metadata: metadata)
        active[condition.id] = alert
        pendingSince[condition.id] = nil
        confirmations[condition.id] = nil
        recordChange(condition.id, at: now, configuration: configuration)
        return .fired(alert)
    }

    private mutating func resolve(_ id: String, at now: Date, configuration: AlertConfiguration) -> AlertEvent {
        let alert = active.removeValue(forKey: id)!
        forgetPending(id)
        history.insert(ResolvedAlert(alert: alert, resolvedTime: now), at: 0)
        recordChange(id, at: now, configuration: configuration)
        return .resolved(alert, at: now)
    }

    private mutating func forgetPending(_ id: String) {
        pendingSince[id] = nil
        confirmations[id] = nil
        clearedWhileHolding.remove(id)
    }

    /// An alert that fires and resolves `flappingThreshold` times within the window is held back
    /// for the cooldown: a value oscillating around both levels would otherwise notify endlessly.
    private mutating func recordChange(_ id: String, at now: Date, configuration: AlertConfiguration) {
        guard configuration.flappingEnabled else { return }
        let windowStart = now.addingTimeInterval(-TimeInterval(configuration.flappingWindowSeconds))
        var times = (changes[id] ?? []).filter { $0 > windowStart }
        times.append(now)
        if times.count >= configuration.flappingThreshold {
            flappingUntil[id] = now.addingTimeInterval(TimeInterval(configuration.flappingCooldownMinutes * 60))
            times.removeAll()
        }
        changes[id] = times.isEmpty ? nil : times
    }

    // MARK: User actions

    /// Marks an active alert acknowledged; false if there is none with `id`.
    package mutating func acknowledge(_ id: String, user: String?, at now: Date) -> Bool {
        guard active[id] != nil else { return false }
        active[id]?.acknowledged = true
        active[id]?.ackTime = now
        active[id]?.ackUser = user
        return true
    }

    package mutating func unacknowledge(_ id: String) -> Bool {
        guard active[id] != nil else { return false }
        active[id]?.acknowledged = false
        active[id]?.ackTime = nil
        active[id]?.ackUser = nil
        return true
    }

    /// Ends an active alert by hand. It stays in the history and does not fire again until its
    /// condition has ended.
    package mutating func clear(_ id: String, at now: Date) -> Alert? {
        guard let alert = active.removeValue(forKey: id) else { return nil }
        history.insert(ResolvedAlert(alert: alert, resolvedTime: now), at: 0)
        clearedWhileHolding.insert(id)
        return alert
    }

    package mutating func clearHistory() {
        history.removeAll()
    }

    private mutating func autoAcknowledge(at now: Date, configuration: AlertConfiguration) {
        guard configuration.autoAcknowledgeAfterHours > 0 else { return }
        let limit = TimeInterval(configuration.autoAcknowledgeAfterHours * 3600)
        for (id, alert) in active where !alert.acknowledged && now.timeIntervalSince(alert.startTime) >= limit {
            _ = acknowledge(id, user: "auto", at: now)
        }
    }

    private mutating func pruneHistory(at now: Date, configuration: AlertConfiguration) {
        let oldest = now.addingTimeInterval(-TimeInterval(max(1, configuration.maxAlertAgeDays) * 86_400))
        if history.last.map({ $0.resolvedTime < oldest }) ?? false {
            history.removeAll { $0.resolvedTime < oldest }
        }
        if history.count > Self.historyLimit { history.removeLast(history.count - Self.historyLimit) }
    }

    static func thresholdMessage(_ resource: AlertResource, label: String, value: Double, pair: ThresholdPair, unit: String) -> String {
        "\(resource.typeLabel) \(resource.name) \(label) at \(format(value))\(unit) (threshold \(format(pair.trigger))\(unit))"
    }

    package static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension AlertResource {
    /// How messages name the resource type.
    var typeLabel: String {
        switch type {
        case "node": "Node"
        case "vm": "VM"
        case "container": "Container"
        case "host": "Host"
        case "dockerHost": "Docker host"
        case "dockerContainer": "Docker container"
        case "storage": "Storage"
        case "pbs": "PBS"
        case "pmg": "PMG"
        case "kubernetesCluster": "Kubernetes cluster"
        case "disk": "Disk"
        default: type
        }
    }
}

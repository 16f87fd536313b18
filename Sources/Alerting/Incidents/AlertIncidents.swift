package import AgentProtocol
package import Foundation
package import Logging
package import Persistence
package import PulseCore

/// The incident timelines, fed by the engine's `AlertActivity` and by users' notes, saved one
/// document per incident so they survive a restart.
///
/// Bounded as Pulse bounds them: 500 incidents (the oldest go first), 120 events per incident
/// (the oldest go first), nothing older than 90 days (by its closing, else its opening, time).
package actor AlertIncidents: AlertActivitySink {
    package static let maxIncidents = 500
    package static let maxEvents = 120
    package static let maxAge: TimeInterval = 90 * 86_400
    /// A `started_at` matches an incident opened within this much of it.
    static let startTolerance: TimeInterval = 600

    private let documents: NamedDocuments?
    private let logger: Logger
    /// Oldest first.
    private var incidents: [Incident]
    /// Per alert, the index of its newest incident (the only one that may be open): a batch of
    /// activity costs a lookup per item, not a scan of every incident (a first evaluation of a
    /// large estate fires thousands at once, and the scans made that quadratic).
    private var newest: [String: Int] = [:]

    /// Loads the saved incidents from `database` (none in memory-only tests).
    package init(database: PulseDatabase?, logger: Logger) throws {
        let documents = database.map { NamedDocuments(database: $0, table: "alertIncident") }
        self.documents = documents
        self.logger = logger
        let decoder = JSONDecoder()
        incidents = try (documents?.loadAll() ?? [:]).values.compactMap { try? decoder.decode(Incident.self, from: $0) }
            .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
        newest = Self.newestIndices(of: incidents)
    }

    // MARK: Reading

    /// The newest incident of alert `alertID`; with `startedAt`, the one opened nearest that time
    /// (within 10 minutes).
    package func timeline(alertID: String, startedAt: Date? = nil) -> Incident? {
        guard let startedAt else { return incidents.last { $0.alertId == alertID } }
        let nearest = incidents.filter { $0.alertId == alertID }.min {
            abs($0.openedAt.timeIntervalSince(startedAt)) < abs($1.openedAt.timeIntervalSince(startedAt))
        }
        return nearest.flatMap { abs($0.openedAt.timeIntervalSince(startedAt)) <= Self.startTolerance ? $0 : nil }
    }

    /// The incidents of resource `resourceID`, newest first; at most `limit` when given.
    package func incidents(resourceID: String, limit: Int? = nil) -> [Incident] {
        let matching = incidents.reversed().filter { $0.resourceId == resourceID }
        return limit.map { Array(matching.prefix($0)) } ?? matching
    }

    // MARK: Recording

    package func record(_ activity: [AlertActivity]) {
        var touched: [Int] = []
        for item in activity { touched.append(apply(item)) }
        commit(touched: touched, at: activity.map(\.time).max() ?? Date())
    }

    /// Adds a user's note to incident `incidentID`, else to the newest incident of `alertID`;
    /// false when there is no such incident. The note is stored as given.
    package func addNote(_ note: String, user: String?, alertID: String?, incidentID: String?, at now: Date) -> Bool {
        let found: Int? =
            if let incidentID {
                incidents.lastIndex { $0.id == incidentID }
            } else if let alertID {
                newest[alertID]
            } else {
                nil
            }
        guard let index = found else { return false }
        var details: [String: JSONValue] = ["note": .string(note)]
        if let user { details["user"] = .string(user) }
        append(.note, user.map { "Note added by \($0)" } ?? "Note added", details, to: index, at: now)
        commit(touched: [index], at: now)
        return true
    }

    /// Applies one activity; returns the index of the incident it changed.
    private func apply(_ activity: AlertActivity) -> Int {
        switch activity {
        case .fired(let alert, let now):
            if let open = openIncident(of: alert) {
                // A level change of an open incident: the incident follows the alert, no new event.
                incidents[open].follow(alert)
                return open
            }
            let index = open(alert)
            var details: [String: JSONValue] = ["type": .string(alert.type), "level": .string(alert.level.rawValue)]
            details["value"] = .number(alert.value)
            details["threshold"] = .number(alert.threshold)
            let figures = alert.value > 0 || alert.threshold > 0 ? String(format: " %.1f >= %.1f", alert.value, alert.threshold) : ""
            append(.alertFired, "Alert triggered: \(alert.type) (\(alert.level.rawValue)\(figures))", details, to: index, at: now)
            return index
        case .acknowledged(let alert, let user, let now):
            let index = latest(alert)
            incidents[index].acknowledged = true
            incidents[index].ackUser = user
            incidents[index].ackTime = alert.ackTime ?? now
            append(.alertAcknowledged, "Alert acknowledged", user.map { ["user": .string($0)] }, to: index, at: now)
            return index
        case .unacknowledged(let alert, let now):
            let index = latest(alert)
            incidents[index].acknowledged = false
            incidents[index].ackUser = nil
            incidents[index].ackTime = nil
            append(.alertUnacknowledged, "Alert unacknowledged", nil, to: index, at: now)
            return index
        case .resolved(let alert, let now):
            let index = openIncident(of: alert) ?? open(alert)
            incidents[index].status = .resolved
            incidents[index].closedAt = now
            append(.alertResolved, "Alert resolved", ["resolved_at": .string(RFC3339.format(now) ?? "")], to: index, at: now)
            return index
        }
    }

    /// The open incident of `alert`: its newest, when that is open.
    private func openIncident(of alert: Alert) -> Int? {
        newest[alert.id].flatMap { incidents[$0].status == .open ? $0 : nil }
    }

    /// The newest incident of `alert`, opened for it if there is none; it follows the alert.
    private func latest(_ alert: Alert) -> Int {
        guard let index = newest[alert.id] else { return open(alert) }
        incidents[index].follow(alert)
        return index
    }

    private func open(_ alert: Alert) -> Int {
        var incident = Incident(
            id: "inc-\(UUID().uuidString.lowercased())", alertId: alert.id, alertType: alert.type, level: alert.level.rawValue,
            resourceId: alert.resourceId, resourceName: alert.resourceName, status: .open, openedAt: alert.startTime,
            acknowledged: alert.acknowledged, ackUser: alert.ackUser, ackTime: alert.ackTime, events: [])
        incident.follow(alert)
        incidents.append(incident)
        newest[alert.id] = incidents.count - 1
        return incidents.count - 1
    }

    private func reindex() {
        newest = Self.newestIndices(of: incidents)
    }

    /// Per alert ID, the index of its last incident in `incidents`.
    private static func newestIndices(of incidents: [Incident]) -> [String: Int] {
        var newest: [String: Int] = [:]
        for (index, incident) in incidents.enumerated() { newest[incident.alertId] = index }
        return newest
    }

    private func append(_ kind: IncidentEvent.Kind, _ summary: String, _ details: [String: JSONValue]?, to index: Int, at now: Date) {
        let event = IncidentEvent(id: "inc-evt-\(UUID().uuidString.lowercased())", type: kind, timestamp: now, summary: summary, details: details)
        incidents[index].events.append(event)
        if incidents[index].events.count > Self.maxEvents { incidents[index].events.removeFirst(incidents[index].events.count - Self.maxEvents) }
    }

    /// Saves the incidents at `touched`, then drops and deletes the ones past the bounds.
    private func commit(touched: [Int], at now: Date) {
        let changed = Set(touched).map { incidents[$0] }
        let cutoff = now.addingTimeInterval(-Self.maxAge)
        var dropped = incidents.filter { ($0.closedAt ?? $0.openedAt) <= cutoff }.map(\.id)
        incidents.removeAll { ($0.closedAt ?? $0.openedAt) <= cutoff }
        if incidents.count > Self.maxIncidents {
            incidents.sort { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
            dropped += incidents.prefix(incidents.count - Self.maxIncidents).map(\.id)
            incidents.removeFirst(incidents.count - Self.maxIncidents)
        }
        if !dropped.isEmpty { reindex() }
        guard let documents else { return }
        let gone = Set(dropped)
        do {
            let encoder = JSONEncoder()
            for incident in changed where !gone.contains(incident.id) { try documents.save(try encoder.encode(incident), as: incident.id) }
            try documents.delete(dropped)
        } catch {
            logger.error("saving alert incidents failed", metadata: ["error": "\(error)"])
        }
    }
}

extension Incident {
    /// Takes the alert's current description (level, message, acknowledgement).
    fileprivate mutating func follow(_ alert: Alert) {
        alertType = alert.type
        level = alert.level.rawValue
        resourceId = alert.resourceId
        resourceName = alert.resourceName
        resourceType = alert.metadata?.resourceType
        node = alert.node.isEmpty ? nil : alert.node
        instance = alert.instance.isEmpty ? nil : alert.instance
        message = alert.message.isEmpty ? nil : alert.message
        acknowledged = alert.acknowledged
        ackUser = alert.ackUser
        ackTime = alert.ackTime
    }
}

extension AlertActivity {
    var time: Date {
        switch self {
        case .fired(_, let at), .acknowledged(_, _, let at), .unacknowledged(_, let at), .resolved(_, let at): at
        }
    }
}

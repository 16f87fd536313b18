import AgentProtocol
package import Foundation
package import Logging
package import Persistence
package import PulseCore

/// Receives what the alert engine decided, e.g. the notification pipeline.
///
/// The engine pushes what a sink needs with each call (the schedule the events fall under); a
/// sink never calls back into the engine, which may be waiting on it.
package protocol AlertEventSink: Sendable {
    /// Called after each evaluation or user action that fired or resolved alerts.
    func handle(_ events: [AlertEvent], schedule: AlertSchedule) async
    /// Called when the sink is added and whenever the configuration changes, so work the sink
    /// times itself (grouping windows) follows the current schedule.
    func scheduleChanged(_ schedule: AlertSchedule) async
}

/// The alerts: evaluates the state against the configuration, keeps active alerts and their
/// history across restarts, and carries out acknowledgements and clears.
package actor AlertEngine {
    private let documents: NamedDocuments?
    private let logger: Logger
    package private(set) var configuration: AlertConfiguration
    private var book: AlertBook
    private var memory: RuleMemory
    private var sinks: [any AlertEventSink] = []
    private var activitySinks: [any AlertActivitySink] = []
    /// When a condition waiting out its delay is due, as of the last evaluation: the evaluation
    /// service looks again then instead of at its next regular check.
    package private(set) var nextDeadline: Date?
    /// Told the active alerts whenever they change (the state's `activeAlerts`).
    private let publish: @Sendable ([Alert]) async -> Void

    private static let configurationName = "configuration"
    private static let bookName = "book"

    /// Loads the saved configuration and alerts from `database` (none in memory-only tests).
    package init(database: PulseDatabase?, logger: Logger, publish: @escaping @Sendable ([Alert]) async -> Void = { _ in }) throws {
        let documents = database.map { NamedDocuments(database: $0, table: "alertDocument") }
        self.documents = documents
        self.logger = logger
        self.publish = publish
        let saved = try documents?.loadAll() ?? [:]
        let decoder = JSONDecoder()
        configuration = try saved[Self.configurationName].map { try decoder.decode(AlertConfiguration.self, from: $0) } ?? AlertConfiguration()
        let stored = try saved[Self.bookName].map { try decoder.decode(StoredBook.self, from: $0) }
        book = stored?.book ?? AlertBook()
        memory = stored?.memory ?? RuleMemory()
    }

    private struct StoredBook: Codable {
        var book: AlertBook
        var memory: RuleMemory
    }

    package func addSink(_ sink: any AlertEventSink) async {
        sinks.append(sink)
        await sink.scheduleChanged(configuration.schedule)
    }

    /// `sink` is told everything that happens to an alert, notified or not.
    package func addActivitySink(_ sink: any AlertActivitySink) {
        activitySinks.append(sink)
    }

    // MARK: Evaluation

    /// Evaluates the resources' `readings` at `now`; returns every event (notifications get the ones quiet hours
    /// and the activation state let through). `countsConfirmations`: false for an evaluation on
    /// a state change, true for the regular check (see `AlertBook.apply`).
    @discardableResult
    package func evaluate(_ readings: [ResourceReading], at now: Date, countsConfirmations: Bool = true) async -> [AlertEvent] {
        let (conditions, newMemory) = AlertConditions.build(from: readings, configuration: configuration, memory: memory, at: now)
        let before = book
        let events = book.apply(conditions, at: now, configuration: configuration, countsConfirmations: countsConfirmations)
        nextDeadline = book.deadline(of: conditions)
        let memoryChanged = newMemory != memory
        memory = newMemory
        await commit(changed: book != before || memoryChanged, events: events, at: now)
        return events
    }

    /// Saves and publishes after a change, and hands events to the sinks.
    private func commit(changed: Bool, events: [AlertEvent], activity: [AlertActivity] = [], at now: Date) async {
        guard changed else { return }
        save(Self.bookName, StoredBook(book: book, memory: memory))
        await publish(active())
        let happened = events.map { AlertActivity($0, at: now) } + activity
        if !happened.isEmpty { for sink in activitySinks { await sink.record(happened) } }
        let deliverable = events.filter { isDeliverable($0, at: now) }
        guard !deliverable.isEmpty else { return }
        for sink in sinks { await sink.handle(deliverable, schedule: configuration.schedule) }
    }

    /// Only an `active` configuration notifies; quiet hours hold back warnings, not critical alerts.
    private func isDeliverable(_ event: AlertEvent, at now: Date) -> Bool {
        guard configuration.activationState == "active" else { return false }
        if case .fired(let alert) = event, alert.level == .warning, configuration.schedule.quietHours.contains(now) { return false }
        return true
    }

    // MARK: Reading

    /// Newest first.
    package func active() -> [Alert] {
        book.active.values.sorted { ($0.startTime, $0.id) > ($1.startTime, $1.id) }
    }

    package func history(limit: Int? = nil) -> [ResolvedAlert] {
        limit.map { Array(book.history.prefix(max(0, $0))) } ?? book.history
    }

    // MARK: Changing

    /// Replaces the configuration. Turning alerts off resolves every active alert.
    package func update(_ newConfiguration: AlertConfiguration, at now: Date) async {
        configuration = newConfiguration
        save(Self.configurationName, newConfiguration)
        for sink in sinks { await sink.scheduleChanged(newConfiguration.schedule) }
        if !newConfiguration.enabled {
            let before = book
            let events = book.apply([], at: now, configuration: newConfiguration)
            await commit(changed: book != before, events: events, at: now)
        }
    }

    /// Turns notifications on (`activationState` `active`), as Pulse's first-run review ends;
    /// the unacknowledged critical alerts already active are sent at once. Returns whether they
    /// were on already, and the configuration now in force.
    package func activate(at now: Date) async -> (wasActive: Bool, configuration: AlertConfiguration) {
        guard configuration.activationState != "active" else { return (true, configuration) }
        var updated = configuration
        updated.activationState = "active"
        updated.activationTime = RFC3339.format(now)
        await update(updated, at: now)
        let pending = active().filter { $0.level == .critical && !$0.acknowledged }.map(AlertEvent.fired)
        if !pending.isEmpty {
            for sink in sinks { await sink.handle(pending, schedule: updated.schedule) }
        }
        return (false, updated)
    }

    /// Acknowledges the alert with `id`; false if no such alert is active.
    package func acknowledge(_ id: String, user: String?, at now: Date) async -> Bool {
        let done = book.acknowledge(id, user: user, at: now)
        let activity = book.active[id].map { [AlertActivity.acknowledged($0, user: user, at: now)] } ?? []
        await commit(changed: done, events: [], activity: activity, at: now)
        return done
    }

    package func unacknowledge(_ id: String, at now: Date) async -> Bool {
        let done = book.unacknowledge(id)
        let activity = book.active[id].map { [AlertActivity.unacknowledged($0, at: now)] } ?? []
        await commit(changed: done, events: [], activity: activity, at: now)
        return done
    }

    /// Ends the alert with `id` by hand; it fires again only after its condition has ended. A
    /// cleared bad-sector alert takes the disk's current count as its new baseline.
    package func clear(_ id: String, at now: Date) async -> Bool {
        guard let alert = book.clear(id, at: now) else { return false }
        memory.acceptSectors(of: alert)
        await commit(changed: true, events: [.resolved(alert, at: now)], at: now)
        return true
    }

    package func clearHistory(at now: Date) async {
        book.clearHistory()
        await commit(changed: true, events: [], at: now)
    }

    private func save(_ name: String, _ value: some Encodable) {
        guard let documents else { return }
        do {
            try documents.save(try JSONEncoder().encode(value), as: name)
        } catch {
            logger.error("saving alerts failed", metadata: ["document": "\(name)", "error": "\(error)"])
        }
    }
}

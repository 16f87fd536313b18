package import Alerting
import Foundation
package import Logging
import Persistence
package import PulseCore
package import PulseSupport

/// Turns alert events into queued notifications, one per enabled channel: new alerts of a
/// grouping window go out together, an alert notifies again only after the cooldown, at most
/// `maxAlertsHour` notifications an hour, and resolved alerts that had notified say so.
package actor Notifier: AlertEventSink {
    private let configs: NotificationConfigStore
    private let queue: NotificationQueue
    private let time: any TimeSource
    /// The alert engine's schedule, pushed with every event and every configuration change.
    private var schedule = AlertSchedule()
    private let logger: Logger
    private var lastNotified: [String: Date] = [:]
    private var sentThisHour: [Date] = []
    private var pending: [Alert] = []
    private var pendingSince: Date?

    package init(configs: NotificationConfigStore, queue: NotificationQueue, time: any TimeSource, logger: Logger) {
        self.configs = configs
        self.queue = queue
        self.time = time
        self.logger = logger
    }

    package func scheduleChanged(_ schedule: AlertSchedule) {
        self.schedule = schedule
    }

    package func handle(_ events: [AlertEvent], schedule: AlertSchedule) async {
        self.schedule = schedule
        let now = time.now()
        var resolved: [Alert] = []
        for event in events {
            switch event {
            case .fired(let alert):
                if let last = lastNotified[alert.id], now.timeIntervalSince(last) < TimeInterval(schedule.cooldown * 60) { continue }
                pending.append(alert)
                pendingSince = pendingSince ?? now
            case .resolved(let alert, _):
                pending.removeAll { $0.id == alert.id }
                if lastNotified.removeValue(forKey: alert.id) != nil, schedule.notifyOnResolve { resolved.append(alert) }
            }
        }
        if !resolved.isEmpty { await enqueue(NotificationMessage(kind: .resolved, alerts: resolved, at: now)) }
        if !schedule.grouping.enabled || schedule.grouping.window <= 0 { await flushGroup(at: now, schedule: schedule) }
    }

    /// Sends the gathered alerts once their grouping window has passed.
    func flushDue() async {
        let now = time.now()
        guard let since = pendingSince, now.timeIntervalSince(since) >= TimeInterval(schedule.grouping.window) else { return }
        await flushGroup(at: now, schedule: schedule)
    }

    private func flushGroup(at now: Date, schedule: AlertSchedule) async {
        guard !pending.isEmpty else { return }
        let alerts = pending
        pending.removeAll()
        pendingSince = nil
        sentThisHour.removeAll { now.timeIntervalSince($0) >= 3600 }
        guard schedule.maxAlertsHour <= 0 || sentThisHour.count < schedule.maxAlertsHour else {
            logger.warning(
                "notification dropped: hourly limit reached", metadata: ["alerts": "\(alerts.count)", "limit": "\(schedule.maxAlertsHour)"])
            return
        }
        sentThisHour.append(now)
        for alert in alerts { lastNotified[alert.id] = now }
        await enqueue(NotificationMessage(kind: alerts.count == 1 ? .fired : .grouped, alerts: alerts, at: now))
    }

    /// Queues `message` for every enabled channel.
    package func enqueue(_ message: NotificationMessage) async {
        let config = await configs.config
        var channels = config.webhooks.filter(\.enabled).map { "webhook:\($0.id)" }
        if config.email.enabled { channels.append("email") }
        if config.apprise.enabled { channels.append("apprise") }
        for channel in channels {
            do {
                try queue.enqueue(channel: channel, message: message, at: message.at)
            } catch {
                logger.error("queueing a notification failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
        }
    }
}

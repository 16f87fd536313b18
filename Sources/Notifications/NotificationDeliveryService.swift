package import Foundation
package import Logging
import Persistence
package import PulseSupport
import ServiceLifecycle

/// Delivers what is due from the notification queue; a failure is retried with backoff and,
/// after the last attempt, parked in the dead-letter queue.
package struct NotificationDispatcher: Sendable {
    package let queue: NotificationQueue
    package let sender: NotificationSender
    package let logger: Logger

    /// One pass over the due jobs; returns how many were delivered.
    @discardableResult
    package func deliverDue(at now: Date) async -> Int {
        var delivered = 0
        let jobs: [NotificationQueue.Job]
        do { jobs = try queue.due(at: now) } catch {
            logger.error("reading the notification queue failed", metadata: ["error": "\(error)"])
            return 0
        }
        for job in jobs {
            do {
                try await sender.deliver(channel: job.channel, message: job.message)
                try queue.markSent(job.id, at: now)
                delivered += 1
            } catch {
                logger.warning(
                    "notification delivery failed", metadata: ["channel": "\(job.channel)", "attempt": "\(job.attempts + 1)", "error": "\(error)"])
                try? queue.markFailed(job, error: "\(error)", at: now)
            }
        }
        return delivered
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(queue: NotificationQueue, sender: NotificationSender, logger: Logger) {
        self.queue = queue
        self.sender = sender
        self.logger = logger
    }
}

/// Every `interval`: sends grouped alerts whose window has passed, then delivers due jobs.
package struct NotificationDeliveryService: Service {
    package let notifier: Notifier
    package let dispatcher: NotificationDispatcher
    package let time: any TimeSource
    package let interval: Duration

    package func run() async throws {
        await repeatUntilShutdown(every: interval) {
            await notifier.flushDue()
            await dispatcher.deliverDue(at: time.now())
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(notifier: Notifier, dispatcher: NotificationDispatcher, time: any TimeSource, interval: Duration) {
        self.notifier = notifier
        self.dispatcher = dispatcher
        self.time = time
        self.interval = interval
    }
}

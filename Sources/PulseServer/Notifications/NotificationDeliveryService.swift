import Foundation
import Logging
import ServiceLifecycle

/// Delivers what is due from the notification queue; a failure is retried with backoff and,
/// after the last attempt, parked in the dead-letter queue.
struct NotificationDispatcher: Sendable {
    let queue: NotificationQueue
    let sender: NotificationSender
    let logger: Logger

    /// One pass over the due jobs; returns how many were delivered.
    @discardableResult
    func deliverDue(at now: Date) async -> Int {
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
                logger.warning("notification delivery failed", metadata: ["channel": "\(job.channel)", "attempt": "\(job.attempts + 1)", "error": "\(error)"])
                try? queue.markFailed(job, error: "\(error)", at: now)
            }
        }
        return delivered
    }
}

/// Every `interval`: sends grouped alerts whose window has passed, then delivers due jobs.
struct NotificationDeliveryService: Service {
    let notifier: Notifier
    let dispatcher: NotificationDispatcher
    let time: any TimeSource
    let interval: Duration

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            await notifier.flushDue()
            await dispatcher.deliverDue(at: time.now())
        }
    }
}

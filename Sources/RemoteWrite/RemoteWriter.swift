import CurlHTTP
package import Foundation
package import Logging
package import PulseCore
package import PulseSupport
import ServiceLifecycle

/// Prometheus remote write: each sampling becomes batches on a bounded queue on disk, which
/// `drain()` sends in order.
///
/// A batch is on disk before `record` returns, so a stop (or a crash) loses nothing that was
/// recorded. The receiver's answer decides a batch's fate: 2xx deletes it; 5xx, 429 and
/// connection errors keep it and wait (`RetrySchedule`, on the server's clock) before the same
/// batch is tried again, so order is kept; any other status drops it, counted as rejected. Over
/// `queueMaxBytes` the oldest batches are dropped, counted as queue full.
package actor RemoteWriter {
    private let settings: RemoteWriteSettings
    private let batches: SeriesBatches
    private let sender: RemoteWriteSender
    private let time: any TimeSource
    private let logger: Logger
    private var queue: BatchQueue
    private var nextSequence: UInt64
    private var retry = RetrySchedule()
    private var figures: RemoteWriteStatistics
    private var draining = false

    /// Opens the queue in `folder` (created 0700), with whatever an earlier run left there.
    package init(settings: RemoteWriteSettings, folder: String, time: any TimeSource, logger: Logger) throws {
        self.settings = settings
        batches = SeriesBatches(instanceName: settings.instanceName, extraLabels: settings.extraLabels, batchSamples: settings.batchSamples)
        sender = RemoteWriteSender(settings: settings)
        self.time = time
        self.logger = logger
        queue = try BatchQueue(folder: folder)
        nextSequence = queue.nextSequence
        figures = RemoteWriteStatistics(url: settings.displayURL, authentication: settings.authorization.kind)
    }

    /// Queues the samples of `families` taken at `date`.
    package func record(_ families: [ExpositionFamily], at date: Date) async {
        let timestamp = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let folder = queue.folder
        for request in batches.requests(families, timestamp: timestamp) {
            let body = Snappy.compress(request.encoded())
            let sequence = nextSequence
            nextSequence += 1
            let samples = request.sampleCount
            do {
                queue.append(try await BlockingThread.run { try BatchQueue.write(body, sequence: sequence, samples: samples, folder: folder) })
            } catch {
                figures.samplesDroppedQueueFull += samples
                logger.error("remote write: a batch could not be queued on disk", metadata: ["error": "\(error)", "samples": "\(samples)"])
            }
        }
        dropOldestOverBound()
    }

    /// Sends queued batches, oldest first, until the queue is empty, a send fails, the retry
    /// time has not come yet or the server is shutting down.
    package func drain() async {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while let entry = queue.entries.first, retry.isDue(at: time.now()), !Task.isShuttingDownGracefully, !Task.isCancelled {
            let body: [UInt8]
            do {
                body = try queue.body(of: entry)
            } catch {
                queue.remove(entry.sequence)
                figures.samplesRejected += entry.samples
                logger.error("remote write: a queued batch could not be read and was dropped", metadata: ["error": "\(error)"])
                continue
            }
            let outcome = await sender.send(body)
            switch outcome {
            case .accepted:
                retry.succeeded()
                figures.lastSuccess = time.now()
                figures.lastError = nil
                // A batch the bound dropped while it was on its way stays counted as dropped.
                if queue.remove(entry.sequence) != nil { figures.samplesSent += entry.samples }
            case .rejected(let reason):
                retry.succeeded()
                figures.lastError = reason
                if queue.remove(entry.sequence) != nil { figures.samplesRejected += entry.samples }
                logger.error(
                    "remote write: the receiver refused a batch; it is dropped",
                    metadata: ["reason": "\(reason)", "samples": "\(entry.samples)"])
            case .retry(let reason, let retryAfter):
                let now = time.now()
                retry.failed(at: now, retryAfter: retryAfter)
                figures.lastError = reason
                logger.warning(
                    "remote write: sending failed; the batch is kept and tried again",
                    metadata: [
                        "reason": "\(reason)", "attempt": "\(retry.failures)",
                        "retryInSeconds": "\(Int(retry.notBefore.map { $0.timeIntervalSince(now) } ?? 0))",
                        "queuedBatches": "\(queue.entries.count)",
                    ])
                return
            }
        }
    }

    /// The counts and the queue's size now.
    package func statistics() -> RemoteWriteStatistics {
        var current = figures
        current.queueBytes = queue.bytes
        current.queueBatches = queue.entries.count
        return current
    }

    private func dropOldestOverBound() {
        var dropped = 0
        while queue.bytes > settings.queueMaxBytes, let oldest = queue.entries.first {
            queue.remove(oldest.sequence)
            dropped += oldest.samples
        }
        guard dropped > 0 else { return }
        figures.samplesDroppedQueueFull += dropped
        logger.warning(
            "remote write: the queue is full; its oldest samples were dropped",
            metadata: ["samples": "\(dropped)", "maxBytes": "\(settings.queueMaxBytes)"])
    }
}

package import Foundation

/// How Prometheus remote write is doing, for `/metrics` and `/api/diagnostics`. Counts are since
/// the server started; the queue figures are what is on disk now.
package struct RemoteWriteStatistics: Encodable, Sendable, Equatable {
    /// The receiver's URL without user information (never a secret).
    package var url: String
    /// `none`, `bearer` or `basic`: whether requests carry credentials, not which.
    package var authentication: String
    /// Samples the receiver accepted (a 2xx answer).
    package var samplesSent: Int = 0
    /// Samples of batches the receiver refused with a 4xx other than 429; not sent again.
    package var samplesRejected: Int = 0
    /// Samples of the oldest batches removed to keep the queue within its byte bound.
    package var samplesDroppedQueueFull: Int = 0
    package var queueBytes: Int = 0
    package var queueBatches: Int = 0
    /// When the receiver last accepted a batch.
    package var lastSuccess: Date?
    /// Why the newest failed attempt failed (a status or a transport error), nil after a success.
    package var lastError: String?

    /// Every property that has no default.
    package init(url: String, authentication: String) {
        self.url = url
        self.authentication = authentication
    }

    /// The figures as the families `/metrics` appends to the monitored data.
    package func expositionFamilies() -> [ExpositionFamily] {
        var out = ExpositionFamilies()
        out.counter("pulse_remote_write_samples_sent_total", "Samples the remote write receiver accepted.", [:], samplesSent)
        out.counter(
            "pulse_remote_write_samples_dropped_total", "Samples dropped without being sent: refused by the receiver or the queue full.",
            ["reason": "rejected"], samplesRejected)
        out.counter(
            "pulse_remote_write_samples_dropped_total", "Samples dropped without being sent: refused by the receiver or the queue full.",
            ["reason": "queue_full"], samplesDroppedQueueFull)
        out.gauge("pulse_remote_write_queue_bytes", "Bytes of batches waiting on disk.", [:], queueBytes)
        out.gauge("pulse_remote_write_queue_batches", "Batches waiting on disk.", [:], queueBatches)
        out.gauge(
            "pulse_remote_write_last_success_timestamp_seconds", "Unix time the receiver last accepted a batch (0: never).", [:],
            lastSuccess.map { $0.timeIntervalSince1970 } ?? 0)
        return out.families
    }
}

import PulseSupport
import ServiceLifecycle

/// Sends the remote write queue every `interval` (a retry waits on the server's clock, so a
/// short interval costs nothing while the receiver is down). At shutdown the batch on its way
/// finishes; what is queued stays on disk for the next start.
package struct RemoteWriteService: Service {
    package let writer: RemoteWriter
    package let interval: Duration

    package init(writer: RemoteWriter, interval: Duration) {
        self.writer = writer
        self.interval = interval
    }

    package func run() async {
        await repeatUntilShutdown(every: interval) { await writer.drain() }
    }
}

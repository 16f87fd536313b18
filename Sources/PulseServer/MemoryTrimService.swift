import PulseCore
import PulseSupport
import ServiceLifecycle

/// Lets go of a published snapshot that is no longer fresh and hands freed heap memory back to
/// the kernel, every `interval`.
///
/// After a burst (a thousand agents reporting at once, the alert and metrics passes over every
/// container) the allocator keeps the freed pages for reuse; purging them makes the resident set
/// follow what the state holds without waiting for jemalloc's own decay.
struct MemoryTrimService: Service {
    let interval: Duration
    let published: PublishedSnapshot
    let time: any TimeSource

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            published.dropExpired(at: time.now())
            HeapAllocator.purge()
        }
    }
}

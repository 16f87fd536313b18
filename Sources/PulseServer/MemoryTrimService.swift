import PulseSupport
import ServiceLifecycle

/// Hands freed heap memory back to the kernel every `interval`.
///
/// After a burst (a thousand agents reporting at once, the alert and metrics passes over every
/// container) the allocator keeps the freed pages for reuse; purging them makes the resident set
/// follow what the state holds without waiting for jemalloc's own decay.
struct MemoryTrimService: Service {
    let interval: Duration

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            HeapAllocator.purge()
        }
    }
}

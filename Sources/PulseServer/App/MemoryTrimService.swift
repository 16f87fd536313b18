import ServiceLifecycle

/// Hands freed heap memory back to the kernel every `interval`.
///
/// glibc keeps the pages of freed allocations in each thread's arena for reuse; after a burst
/// (a thousand agents reporting at once, the alert and metrics passes over every container)
/// they stay in the resident set although nothing uses them. `malloc_trim` returns whole free
/// pages anywhere in the arenas, so the resident set follows what the state holds.
struct MemoryTrimService: Service {
    let interval: Duration

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            _ = glibcMallocTrim(0)
        }
    }
}

/// glibc's `malloc_trim(3)`, declared in `<malloc.h>`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32

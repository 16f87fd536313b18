import CJemalloc

/// The server's heap: jemalloc, linked in place of glibc's malloc.
///
/// A report is decoded on one thread and the report it replaces is freed on another. glibc takes
/// the owning arena's lock for each such free while the owner allocates from it, and with twenty
/// containers a report that is several hundred contended frees: `perf` showed threads parked in
/// `futex_wait` under `_int_free`. jemalloc returns such frees through per-thread caches instead.
enum HeapAllocator {
    /// `MALLCTL_ARENAS_ALL` from `<jemalloc/jemalloc.h>`: the arena index that means every arena.
    private static let allArenas = 4096

    /// Hands the dirty pages of every arena back to the kernel now, rather than after jemalloc's
    /// decay time; returns whether jemalloc accepted the request.
    @discardableResult
    static func purge() -> Bool {
        mallctl("arena.\(allArenas).purge", nil, nil, nil, 0) == 0
    }

    /// Bytes the calling thread has allocated through jemalloc since it started, or `nil` when
    /// jemalloc is not answering (then it is not the process's allocator).
    static func bytesAllocatedByThisThread() -> UInt64? {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        guard mallctl("thread.allocated", &value, &size, nil, 0) == 0 else { return nil }
        return value
    }
}

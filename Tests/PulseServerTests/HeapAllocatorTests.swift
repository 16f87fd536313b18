import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Heap allocator")
struct HeapAllocatorTests {
    // Synchronous on purpose: no suspension point, so both readings come from the same thread.
    @Test("Swift's allocations are served by jemalloc, not glibc")
    func swiftAllocationsGoThroughJemalloc() throws {
        let before = try #require(HeapAllocator.bytesAllocatedByThisThread())
        let buffer = [UInt8](repeating: 7, count: 1 << 20)
        let after = try #require(HeapAllocator.bytesAllocatedByThisThread())
        withExtendedLifetime(buffer) {}
        #expect(after - before >= 1 << 20)
    }

    @Test("Purging every arena is accepted")
    func purgeIsAccepted() {
        #expect(HeapAllocator.purge())
    }
}

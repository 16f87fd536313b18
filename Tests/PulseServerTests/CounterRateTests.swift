import AgentProtocol
import Foundation
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Counter rates: per-second rates from consecutive readings")
struct CounterRateTests {
    func container(_ id: String, read: UInt64?, write: UInt64?) -> ContainerReport {
        var report = ContainerReport(id: id, name: id, image: "i", createdAt: Date(timeIntervalSince1970: 0), state: "running", status: "Up")
        report.blockIo = ContainerBlockIO(readBytes: read, writeBytes: write)
        return report
    }

    @Test func blockIORatesPairContainersByIDWhateverTheirOrder() {
        let before = [container("a", read: 100, write: 0), container("b", read: 1_000, write: 500), container("c", read: 5, write: 5)]
        // Same order: every container paired by position.
        let same = CounterRate.blockIO(
            previous: before,
            current: [container("a", read: 300, write: 0), container("b", read: 1_000, write: 1_500), container("c", read: 5, write: 5)],
            elapsed: 10)
        #expect(same["a"] == BlockIORates(readBytes: 20, writeBytes: 0))
        #expect(same["b"] == BlockIORates(readBytes: 0, writeBytes: 100))
        #expect(same["c"] == BlockIORates(readBytes: 0, writeBytes: 0))

        // Reordered, one new, one gone, one reset: the lookup by ID takes over after "a".
        let changed = CounterRate.blockIO(
            previous: before,
            current: [
                container("a", read: 200, write: 0), container("c", read: 25, write: 1), container("new", read: 9, write: 9),
                container("b", read: 2_000, write: 900),
            ],
            elapsed: 5)
        #expect(changed["a"] == BlockIORates(readBytes: 20, writeBytes: 0))
        #expect(changed["c"] == BlockIORates(readBytes: 4, writeBytes: nil), "a counter that went down gives no rate")
        #expect(changed["new"] == nil)
        #expect(changed["b"] == BlockIORates(readBytes: 200, writeBytes: 80))
        #expect(changed.count == 3)

        // No elapsed time, or no counters: no rates.
        #expect(CounterRate.blockIO(previous: before, current: before, elapsed: 0).isEmpty)
        #expect(CounterRate.blockIO(previous: before, current: [container("a", read: nil, write: nil)], elapsed: 5).isEmpty)
    }
}

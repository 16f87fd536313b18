import Synchronization
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("ConcurrencyGate: at most N at once, the rest in arrival order")
struct ConcurrencyGateTests {
    final class Tally: Sendable {
        let running = Mutex(0)
        let most = Mutex(0)
        let order = Mutex<[Int]>([])
        let permits = Mutex(0)

        /// Waits until the test hands out a permit, and takes it.
        func awaitPermit() async {
            while !permits.withLock({ count -> Bool in
                guard count > 0 else { return false }
                count -= 1
                return true
            }) { await Task.yield() }
        }
    }

    @Test func atMostTheLimitRunAndWaitersGoInArrivalOrder() async throws {
        let gate = ConcurrencyGate(limit: 2)
        let tally = Tally()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<5 {
                // Start each after the one before is admitted or waiting, so arrival order is known.
                group.addTask {
                    await gate.run {
                        tally.order.withLock { $0.append(index) }
                        let now = tally.running.withLock { value -> Int in
                            value += 1
                            return value
                        }
                        tally.most.withLock { $0 = max($0, now) }
                        await tally.awaitPermit()
                        tally.running.withLock { $0 -= 1 }
                    }
                }
                while tally.order.withLock({ $0.count }) + gate.waiting < index + 1 { await Task.yield() }
            }
            #expect(tally.order.withLock { $0 } == [0, 1])
            #expect(gate.waiting == 3)
            tally.permits.withLock { $0 = 5 }
            try await group.waitForAll()
        }
        #expect(tally.most.withLock { $0 } == 2)
        #expect(tally.order.withLock { $0 } == [0, 1, 2, 3, 4])
        #expect(gate.waiting == 0)
        // All places are free again.
        await gate.run { await gate.run { tally.running.withLock { $0 = 42 } } }
        #expect(tally.running.withLock { $0 } == 42)
    }
}

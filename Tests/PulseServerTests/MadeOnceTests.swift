import Glibc
import Synchronization
import Testing

@testable import PulseSupport

@Suite("MadeOnce: a value made once on first demand")
struct MadeOnceTests {
    final class Makings: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test func callersAskingMeanwhileWaitForTheOneMaking() async {
        let once = MadeOnce<[Int]>()
        #expect(once.value == nil)
        let makings = Makings()
        let values = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<64 {
                group.addTask {
                    await once.value {
                        makings.count.add(1, ordering: .relaxed)
                        usleep(50_000)  // long enough for the other callers to arrive meanwhile
                        return Array(0..<1000)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(makings.count.load(ordering: .relaxed) == 1)
        #expect(values.count == 64)
        #expect(values.allSatisfy { $0 == Array(0..<1000) })
        #expect(once.value == Array(0..<1000))
        // Later callers get it without making it again.
        #expect(await once.value { [] } == Array(0..<1000))
    }

    @Test func aValueMadeBeforehandIsTakenAsMade() async {
        let made = MadeOnce([7])
        #expect(made.value == [7])
        #expect(await made.value { [8] } == [7])
    }
}

import Foundation
import Testing

@testable import PulseCore
@testable import PulseSupport

/// One snapshot per state version, shared by every reader; time-derived fields at most a second old.
@Suite("The published snapshot")
struct PublishedSnapshotTests {
    @Test func readsOfOneVersionShareOneBuildAndAChangeBuildsAgain() async {
        let clock = ManualTimeSource()
        let state = MonitoringState(time: clock)
        for _ in 0..<5 { _ = await state.snapshot() }
        #expect(state.published.builds == 1, "five reads of one version, one build")
        await state.didChange()
        let changed = await state.snapshot()
        _ = await state.snapshot()
        #expect(state.published.builds == 2)
        #expect(changed.lastUpdate == clock.now().unixMillis)
    }

    @Test func aSnapshotOlderThanItsFreshnessIsBuiltAgainSoUptimeMoves() async {
        let clock = ManualTimeSource()
        let state = MonitoringState(time: clock)
        let first = await state.snapshot()
        clock.advance(by: 0.5)
        #expect(await state.snapshot().stats.uptime == first.stats.uptime)
        #expect(state.published.builds == 1)
        clock.advance(by: 5)
        #expect(await state.snapshot().stats.uptime == first.stats.uptime + 5)
        #expect(state.published.builds == 2)
    }

    @Test func concurrentReadersAllGetTheNewestVersion() async {
        let state = MonitoringState(time: ManualTimeSource())
        await state.didChange()
        let version = state.changes.current
        let updates = await withTaskGroup(of: Int64.self) { group in
            for _ in 0..<20 { group.addTask { await state.snapshot().lastUpdate } }
            return await group.reduce(into: Set<Int64>()) { $0.insert($1) }
        }
        #expect(updates.count == 1)
        #expect(state.changes.current == version, "reading changed nothing")
    }

    @Test func aChangeLetsTheOldSnapshotGoAndALateBuildOfAnOldVersionIsNotKept() async {
        let clock = ManualTimeSource()
        let state = MonitoringState(time: clock)
        let old = await state.snapshot()
        let oldVersion = state.changes.current
        #expect(state.published.isHoldingOne)
        await state.didChange()
        #expect(!state.published.isHoldingOne, "the old version can never be served, so it is not kept")
        state.published.publish(old, version: oldVersion, builtAt: clock.now())
        #expect(!state.published.isHoldingOne, "a build that finished after the change is not kept either")
        _ = await state.snapshot()
        #expect(state.published.isHoldingOne)
        #expect(state.published.snapshot(ofVersion: state.changes.current, at: clock.now()) != nil)
    }

    @Test func aSnapshotPastItsFreshnessIsLetGoWhenTheStateIsQuiet() async {
        let clock = ManualTimeSource()
        let state = MonitoringState(time: clock)
        _ = await state.snapshot()
        state.published.dropExpired(at: clock.now())
        #expect(state.published.isHoldingOne, "a fresh snapshot is kept for the next reader")
        clock.advance(by: PublishedSnapshot.freshness)
        state.published.dropExpired(at: clock.now())
        #expect(!state.published.isHoldingOne)
    }
}

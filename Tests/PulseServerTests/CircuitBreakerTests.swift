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

/// The per-instance breaker and the scheduler's dead-letter rules, on a manual clock.
@Suite("Circuit breaker and dead letters")
struct CircuitBreakerTests {
    @Test func opensAfterThreeFailuresRetriesWithDoublingJitteredDelaysAndClosesOnSuccess() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var breaker = CircuitBreaker(now: start)
        breaker.recordFailure(at: start, random: 0.5)
        breaker.recordFailure(at: start, random: 0.5)
        let stillClosed = breaker.allows(at: start)
        #expect(breaker.state == .closed && stillClosed)
        breaker.recordFailure(at: start, random: 0.5)
        #expect(breaker.state == .open && breaker.retryAt == start.addingTimeInterval(5))
        let tooEarly = breaker.allows(at: start.addingTimeInterval(4.9))
        #expect(!tooEarly)
        let onTime = breaker.allows(at: start.addingTimeInterval(5))
        #expect(onTime && breaker.state == .halfOpen)
        // The trial fails: open again, twice as long; jitter spans ±20 %.
        breaker.recordFailure(at: start.addingTimeInterval(5), random: 0)
        #expect(breaker.state == .open && breaker.retryAt == start.addingTimeInterval(5 + 10 * 0.8))
        #expect(abs(CircuitBreaker.retryDelay(afterOpenings: 20, random: 1) - 360) < 1e-9, "capped at 5 minutes, +20 %")
        breaker.recordSuccess(at: start.addingTimeInterval(60))
        #expect(breaker.state == .closed && breaker.failures == 0 && breaker.retryAt == nil)
    }

    @Test func permanentFailuresAndFiveTransientOnesDeadLetterAnInstanceWhichStillRetriesAndRecovers() async {
        let time = ManualTimeSource()
        let health = SchedulerHealth(time: time, intervals: [.pve: 10], random: { 0.5 })
        let instance = ProxmoxInstance(id: "pve-1", type: .pve, name: "lab", host: "https://h:8006", user: "a@pam", verifySSL: true)
        await health.track(instance)
        for _ in 0..<4 {
            time.advance(by: 400)
            #expect(await health.mayPoll(id: "pve-1"))
            await health.recordFailure(id: "pve-1", error: ProxmoxError(category: .transient, description: "timeout"))
        }
        #expect(await health.snapshot().deadLetter.count == 0)
        time.advance(by: 400)
        #expect(await health.mayPoll(id: "pve-1"))
        await health.recordFailure(id: "pve-1", error: ProxmoxError(category: .transient, description: "timeout"))
        var view = await health.snapshot()
        #expect(view.deadLetter.count == 1 && view.instances.first?.deadLetter.reason == "retry_limit")
        // Dead-lettered: tried again after 5 minutes, not before.
        time.advance(by: 299)
        #expect(!(await health.mayPoll(id: "pve-1")))
        time.advance(by: 2)
        #expect(await health.mayPoll(id: "pve-1"))
        await health.recordSuccess(id: "pve-1", duration: .milliseconds(40), requests: 7)
        view = await health.snapshot()
        #expect(view.deadLetter.count == 0 && view.instances.first?.breaker.state == .closed)
        #expect(view.instances.first?.pollStatus.lastRequests == 7 && view.instances.first?.pollStatus.lastDurationMs == 40)

        await health.recordFailure(id: "pve-1", error: ProxmoxError(category: .permanent, description: "authentication failure"))
        #expect(await health.snapshot().instances.first?.deadLetter.reason == "permanent_failure")
    }
}

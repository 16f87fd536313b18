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

/// The alert rules on hand-built conditions and plain dates.
@Suite("Alert rules: hysteresis, delays, levels, confirmations, flapping, clears")
struct AlertBookTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)
    let node = AlertResource(id: "pve1-node1", name: "node1", type: "node", node: "node1", instance: "pve1")
    let cpu = ThresholdPair(trigger: 80, clear: 75)

    func cpuCondition(_ value: Double, delay: TimeInterval = 0) -> AlertCondition {
        .threshold(node, .cpu, value: value, pair: cpu, delay: delay)
    }

    func offline(_ holds: Bool) -> AlertCondition {
        AlertCondition(
            id: "node-offline-pve1-node1", type: "offline", resource: node,
            check: .rule(holds: holds, level: .critical, value: 1, threshold: 0, message: "Node node1 is offline", confirmations: 3, details: nil))
    }

    /// Evaluations on a state change (another agent's report) neither count nor reset an
    /// outage's confirmations; only the regular checks do.
    @Test func evaluationsOnArrivalLeaveConfirmationsToTheRegularChecks() {
        var book = AlertBook()
        let configuration = AlertConfiguration()
        var events: [AlertEvent] = []
        for step in 0..<50 {
            events += book.apply(
                [offline(true)], at: start.addingTimeInterval(Double(step) * 0.1), configuration: configuration, countsConfirmations: false)
        }
        #expect(events.isEmpty, "fifty evaluations on arrival confirm nothing")
        for step in 1...2 {
            events += book.apply([offline(true)], at: start.addingTimeInterval(Double(step) * 10), configuration: configuration)
            events += book.apply(
                [offline(true)], at: start.addingTimeInterval(Double(step) * 10 + 1), configuration: configuration, countsConfirmations: false)
        }
        #expect(events.isEmpty, "two regular checks of three")
        events += book.apply([offline(true)], at: start.addingTimeInterval(30), configuration: configuration)
        #expect(events.count == 1, "the third regular check fires")
    }

    /// The engine tells when a condition waiting out its delay is due, so the evaluation service
    /// looks again then rather than at its next regular check.
    @Test func aPendingConditionsDeadlineIsWhenItsDelayEnds() {
        var book = AlertBook()
        let conditions = [cpuCondition(90, delay: 5)]
        #expect(book.apply(conditions, at: start, configuration: AlertConfiguration()).isEmpty)
        #expect(book.deadline(of: conditions) == start.addingTimeInterval(5))
        #expect(book.apply(conditions, at: start.addingTimeInterval(5), configuration: AlertConfiguration()).count == 1)
        #expect(book.deadline(of: conditions) == nil, "active: nothing is waiting")
    }

    @Test func aValueHoveringAroundTheTriggerFiresOnceAndClearsOnlyAtTheClearLevel() {
        var book = AlertBook()
        let configuration = AlertConfiguration()
        var fired = 0
        var resolved = 0
        for (step, value) in [81.0, 79, 82, 77, 80.5, 76].enumerated() {
            for event in book.apply([cpuCondition(value)], at: start.addingTimeInterval(Double(step) * 10), configuration: configuration) {
                if case .fired = event { fired += 1 } else { resolved += 1 }
            }
        }
        #expect(fired == 1 && resolved == 0)
        #expect(book.active["pve1-node1-cpu"]?.value == 76)
        #expect(book.active["pve1-node1-cpu"]?.metadata?.clearThreshold == 75)
        let events = book.apply([cpuCondition(75)], at: start.addingTimeInterval(70), configuration: configuration)
        #expect(events.count == 1 && book.active.isEmpty && book.history.first?.alert.id == "pve1-node1-cpu")
    }

    @Test func anAlertFiresOnlyAfterTheValueHeldForTheDelay() {
        var book = AlertBook()
        let configuration = AlertConfiguration()
        #expect(book.apply([cpuCondition(90, delay: 30)], at: start, configuration: configuration).isEmpty)
        #expect(book.apply([cpuCondition(90, delay: 30)], at: start.addingTimeInterval(20), configuration: configuration).isEmpty)
        // A dip below the trigger restarts the wait.
        #expect(book.apply([cpuCondition(70, delay: 30)], at: start.addingTimeInterval(25), configuration: configuration).isEmpty)
        #expect(book.apply([cpuCondition(90, delay: 30)], at: start.addingTimeInterval(40), configuration: configuration).isEmpty)
        #expect(book.apply([cpuCondition(90, delay: 30)], at: start.addingTimeInterval(69), configuration: configuration).isEmpty)
        let events = book.apply([cpuCondition(90, delay: 30)], at: start.addingTimeInterval(70), configuration: configuration)
        #expect(events.count == 1)
        #expect(book.active["pve1-node1-cpu"]?.startTime == start.addingTimeInterval(70))
    }

    @Test func theLevelBecomesCriticalAtTriggerPlusTenAndIsAnnouncedOnce() {
        var book = AlertBook()
        let configuration = AlertConfiguration()
        _ = book.apply([cpuCondition(85)], at: start, configuration: configuration)
        #expect(book.active["pve1-node1-cpu"]?.level == .warning)
        let escalation = book.apply([cpuCondition(90)], at: start.addingTimeInterval(10), configuration: configuration)
        #expect(book.active["pve1-node1-cpu"]?.level == .critical)
        #expect(escalation.count == 1)
        #expect(book.apply([cpuCondition(95)], at: start.addingTimeInterval(20), configuration: configuration).isEmpty)
    }

    @Test func anOfflineRuleNeedsThreeConsecutiveConfirmations() {
        var book = AlertBook()
        let configuration = AlertConfiguration()
        #expect(book.apply([offline(true)], at: start, configuration: configuration).isEmpty)
        #expect(book.apply([offline(true)], at: start.addingTimeInterval(10), configuration: configuration).isEmpty)
        // Back online in between: counting starts again.
        #expect(book.apply([offline(false)], at: start.addingTimeInterval(20), configuration: configuration).isEmpty)
        for step in 3...4 {
            #expect(book.apply([offline(true)], at: start.addingTimeInterval(Double(step) * 10), configuration: configuration).isEmpty)
        }
        #expect(book.apply([offline(true)], at: start.addingTimeInterval(50), configuration: configuration).count == 1)
        #expect(book.active["node-offline-pve1-node1"]?.level == .critical)
        let recovery = book.apply([offline(false)], at: start.addingTimeInterval(60), configuration: configuration)
        guard case .resolved(let alert, _)? = recovery.first else {
            Issue.record("expected the offline alert to resolve, got \(recovery)")
            return
        }
        #expect(alert.id == "node-offline-pve1-node1")
    }

    @Test func anAlertThatFlapsIsHeldBackForTheCooldown() {
        var book = AlertBook()
        let configuration = AlertConfiguration()  // 5 changes in 300 s → 15 minutes
        var time = start
        var firings = 0
        for round in 0..<6 {
            for value in [90.0, 70] {
                for event in book.apply([cpuCondition(value)], at: time, configuration: configuration) {
                    if case .fired = event { firings += 1 }
                }
                time.addTimeInterval(10)
            }
            _ = round
        }
        #expect(firings == 3, "fire, resolve, fire, resolve, fire: the fifth change starts the cooldown")
        time.addTimeInterval(15 * 60)
        #expect(book.apply([cpuCondition(90)], at: time, configuration: configuration).count == 1)
    }

    @Test func aClearedAlertFiresAgainOnlyAfterItsConditionEnded() {
        var book = AlertBook()
        let configuration = AlertConfiguration()
        _ = book.apply([cpuCondition(90)], at: start, configuration: configuration)
        #expect(book.clear("pve1-node1-cpu", at: start.addingTimeInterval(1)) != nil)
        #expect(book.apply([cpuCondition(90)], at: start.addingTimeInterval(10), configuration: configuration).isEmpty)
        #expect(book.apply([cpuCondition(60)], at: start.addingTimeInterval(20), configuration: configuration).isEmpty)
        #expect(book.apply([cpuCondition(90)], at: start.addingTimeInterval(30), configuration: configuration).count == 1)
    }

    @Test func quietHoursCoverTheNightAcrossMidnightInTheirTimeZone() {
        var hours = QuietHours()
        hours.enabled = true
        hours.timezone = "Europe/Berlin"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        func at(_ hour: Int, _ minute: Int = 0) -> Date {
            calendar.date(from: DateComponents(year: 2026, month: 1, day: 14, hour: hour, minute: minute))!
        }
        #expect(hours.contains(at(23)) && hours.contains(at(3)) && hours.contains(at(22)))
        #expect(!hours.contains(at(8)) && !hours.contains(at(12)) && !hours.contains(at(21, 59)))
        hours.days["tuesday"] = false  // 2026-01-14 is a Wednesday: its early hours belong to Tuesday's night.
        #expect(!hours.contains(at(3)) && hours.contains(at(23)))
    }
}

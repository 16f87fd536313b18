import Foundation
import Logging
import Testing

@testable import Patrol
@testable import Persistence
@testable import PulseCore
@testable import PulseSupport

/// The findings book: lifecycle, user actions on the clock, suppression, persistence, bounds; and
/// a whole run over a metrics store seeded with history.
@Suite("Patrol findings and runs")
struct PatrolBookTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func detection(_ resource: String, detector: String = "backup_age", severity: FindingSeverity = .warning) -> Detection {
        Detection(
            detector: detector, severity: severity, category: .backup, resourceId: resource, resourceName: resource, resourceType: "vm",
            title: "\(resource) has no recent backup", description: "d", recommendation: "r", evidence: ["age_hours": 200])
    }

    @Test func aFindingNoLongerDetectedIsResolvedAndRaisedAgainWhenItReturns() async throws {
        let book = try PatrolBook(documents: nil)
        let first = try await book.apply([Self.detection("vm1"), Self.detection("vm2")], memory: PatrolMemory(), at: Self.now)
        #expect(first.raised.count == 2 && first.resolved.isEmpty)
        let second = try await book.apply([Self.detection("vm1")], memory: PatrolMemory(), at: Self.now.addingTimeInterval(60))
        #expect(second.raised.isEmpty)
        #expect(second.resolved.map(\.resourceId) == ["vm2"])
        let resolved = try #require(await book.finding(second.resolved[0].id))
        #expect(resolved.autoResolved && resolved.resolvedAt != nil)
        #expect(await book.active(at: Self.now).map(\.resourceId) == ["vm1"])
        #expect(await book.finding(first.raised[0].id)?.timesRaised == 2)

        let third = try await book.apply(
            [Self.detection("vm1"), Self.detection("vm2")], memory: PatrolMemory(), at: Self.now.addingTimeInterval(120))
        #expect(third.raised.map(\.resourceId) == ["vm2"])
        #expect(third.raised[0].id == second.resolved[0].id, "the same problem keeps its ID")
        #expect(await book.finding(third.raised[0].id)?.resolvedAt == nil)
    }

    @Test func aSnoozedFindingComesBackWhenItsTimeIsUp() async throws {
        let book = try PatrolBook(documents: nil)
        let id = try await book.apply([Self.detection("vm1")], memory: PatrolMemory(), at: Self.now).raised[0].id
        _ = try await book.snooze(id, hours: 24, at: Self.now)
        #expect(await book.active(at: Self.now.addingTimeInterval(23 * 3600)).isEmpty)
        #expect(await book.setAside(at: Self.now.addingTimeInterval(23 * 3600)).map(\.id) == [id])
        #expect(await book.active(at: Self.now.addingTimeInterval(24 * 3600 + 1)).map(\.id) == [id])
        await #expect(throws: DomainError.self) { try await book.snooze(id, hours: 0, at: Self.now) }
        await #expect(throws: DomainError.self) { try await book.snooze(id, hours: 721, at: Self.now) }
    }

    @Test func aDismissedFindingLeavesTheActiveListAndAnUnknownReasonIsRefused() async throws {
        let book = try PatrolBook(documents: nil)
        let id = try await book.apply([Self.detection("vm1")], memory: PatrolMemory(), at: Self.now).raised[0].id
        do {
            _ = try await book.dismiss(id, reason: "bored", note: nil, at: Self.now)
            Issue.record("an unknown reason was accepted")
        } catch let error as DomainError {
            #expect(error.details?["field"] == "reason")
        }
        let dismissed = try await book.dismiss(id, reason: "expected_behavior", note: "lab VM", at: Self.now)
        #expect(dismissed.dismissedReason == "expected_behavior" && dismissed.userNote == "lab VM")
        #expect(await book.active(at: Self.now).isEmpty)
        #expect(await book.setAside(at: Self.now).map(\.id) == [id])
        // Still detected: it stays dismissed.
        _ = try await book.apply([Self.detection("vm1")], memory: PatrolMemory(), at: Self.now.addingTimeInterval(60))
        #expect(await book.active(at: Self.now.addingTimeInterval(60)).isEmpty)
    }

    @Test func suppressingAFindingHidesItAndLikeOnesUntilTheRuleIsDeleted() async throws {
        let book = try PatrolBook(documents: nil)
        let raised = try await book.apply([Self.detection("vm1"), Self.detection("vm2")], memory: PatrolMemory(), at: Self.now).raised
        let vm1 = try #require(raised.first { $0.resourceId == "vm1" })
        let rule = try await book.suppress(vm1.id, at: Self.now)
        #expect(rule.resourceId == "vm1" && rule.category == .backup)
        #expect(await book.active(at: Self.now).map(\.resourceId) == ["vm2"])
        // A later run keeps it suppressed.
        _ = try await book.apply([Self.detection("vm1"), Self.detection("vm2")], memory: PatrolMemory(), at: Self.now.addingTimeInterval(60))
        #expect(await book.active(at: Self.now).map(\.resourceId) == ["vm2"])
        let byCategory = try await book.addRule(resourceId: "", resourceName: "", category: .backup, description: "no backups here", at: Self.now)
        #expect(await book.active(at: Self.now).isEmpty)
        try await book.deleteRule(byCategory.id)
        try await book.deleteRule(rule.id)
        #expect(await book.active(at: Self.now).count == 2)
        await #expect(throws: DomainError.self) { try await book.deleteRule(rule.id) }
        await #expect(throws: DomainError.self) {
            try await book.addRule(resourceId: "", resourceName: "", category: nil, description: "everything", at: Self.now)
        }
    }

    @Test func findingsRunsAndRulesSurviveARestartAndStayBounded() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-book-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try PulseDatabase(path: folder.appendingPathComponent("pulse.db").path)
        let book = try PatrolBook(documents: PatrolDocuments(database: database))
        let detections = (0..<(PatrolBook.maximumFindings + 100)).map { Self.detection("vm\($0)") }
        let raised = try await book.apply(detections, memory: PatrolMemory(), at: Self.now).raised
        #expect(await book.history(limit: 10_000).count == PatrolBook.maximumFindings)
        let kept = try #require(await book.history(limit: 1).first)
        _ = try await book.acknowledge(kept.id, at: Self.now)
        let rule = try await book.addRule(resourceId: "vm1", resourceName: "vm1", category: nil, description: "test", at: Self.now)
        for index in 0..<(PatrolBook.maximumRuns + 5) {
            try await book.record(PatrolRun(id: "run\(index)", trigger: .manual, startedAt: Self.now))
        }
        #expect(raised.count == detections.count)

        let reopened = try PatrolBook(documents: PatrolDocuments(database: database))
        #expect(await reopened.history(limit: 10_000).count == PatrolBook.maximumFindings)
        #expect(await reopened.finding(kept.id)?.acknowledgedAt == Self.now)
        #expect(await reopened.suppressionRules().map(\.id) == [rule.id])
        let runs = await reopened.recentRuns(limit: 1_000)
        #expect(runs.count == PatrolBook.maximumRuns && runs.first?.id == "run\(PatrolBook.maximumRuns + 4)")
    }
}

/// A whole patrol run: the snapshot's storage, its usage history in a real metrics store, an
/// injected clock, an explainer and a notifier that record what they were given.
@Suite("Patrol runs over seeded history")
struct PatrolRunTests {
    actor Recorder: FindingExplainer, FindingNotifier {
        var prompts: [String] = []
        var notified: [[Finding]] = []
        func explain(_ prompt: String) async throws -> String {
            prompts.append(prompt)
            return "Backups and snapshots are filling the pool."
        }
        func notify(_ findings: [Finding]) async { notified.append(findings) }
    }

    static func storage(_ id: String, usage: Double) -> StorageView {
        var storage = StorageView()
        storage.id = id
        storage.name = id
        storage.node = "node1"
        storage.instance = "pve"
        storage.total = 1_000
        storage.used = UInt64(usage * 10)
        storage.usage = usage
        storage.enabled = true
        storage.active = true
        return storage
    }

    @Test func storageFillingInFiveDaysIsFoundWithTheSameIDInEveryRunAndOneFillingInThirtyIsNot() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteMetricsStore(path: folder.appendingPathComponent("metrics.db").path)
        let time = ManualTimeSource(Date(timeIntervalSince1970: 1_750_000_000))
        let end = Int64(time.now().timeIntervalSince1970)
        // Three days of readings every 10 minutes: one pool grows 10 points a day to 50 %, the other 50/30 points a day.
        var points: [MetricPoint] = []
        for step in 0...(3 * 144) {
            let age = Double(3 * 144 - step) * 600
            let timestamp = end - Int64(age)
            points.append(
                MetricPoint(
                    series: SeriesKey(resourceType: "storage", resourceId: "fast", metric: "usage"), timestamp: timestamp,
                    value: 50 - 10 * age / 86_400))
            points.append(
                MetricPoint(
                    series: SeriesKey(resourceType: "storage", resourceId: "slow", metric: "usage"), timestamp: timestamp,
                    value: 50 - (50.0 / 30) * age / 86_400))
        }
        await store.record(points)
        try await store.flush()
        var snapshot = StateSnapshot()
        snapshot.storage = [Self.storage("fast", usage: 50), Self.storage("slow", usage: 50)]
        let frozen = snapshot
        let recorder = Recorder()
        let patrol = Patrol(
            book: try PatrolBook(documents: nil), settings: Patrol.Settings(interval: nil), snapshot: { frozen }, history: store, time: time,
            logger: Logger(label: "test"), explainer: recorder, notifier: recorder)
        var events = patrol.events.watch().makeAsyncIterator()

        let first = try await patrol.run(trigger: .manual)
        #expect(first.status == .completed, "\(first.error ?? "")")
        #expect(await events.next()?.type == .runStarted)
        let found = await patrol.book.active(at: time.now())
        #expect(found.map(\.resourceId) == ["fast"])
        let finding = try #require(found.first)
        #expect(finding.detector == "disk_forecast" && finding.severity == .warning)
        #expect(abs((finding.evidence["days_to_full"] ?? 0) - 5) < 0.1)
        #expect(finding.explanation == "Backups and snapshots are filling the pool.")
        #expect(await recorder.prompts.first?.contains("days_to_full=5") == true)
        #expect(await recorder.notified.map { $0.map(\.id) } == [[finding.id]])
        #expect(await events.next()?.type == .findingRaised)
        #expect(await events.next()?.type == .runCompleted)

        time.advance(by: 600)
        let second = try await patrol.run(trigger: .scheduled)
        #expect(second.newFindings == 0 && second.resolvedFindings == 0)
        let again = await patrol.book.active(at: time.now())
        #expect(again.map(\.id) == [finding.id])
        #expect(again.first?.timesRaised == 2)
        #expect(await recorder.notified.count == 1, "a finding already raised does not notify again")
        #expect(await patrol.book.recentRuns(limit: 10).map(\.id) == [second.id, first.id])
    }
}

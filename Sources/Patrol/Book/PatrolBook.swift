package import Foundation
package import PulseSupport

/// Patrol's findings with their lifecycle, the run history and the suppression rules, saved on
/// every change. Bounded: at most `maximumFindings` findings (resolved ones are dropped oldest
/// first), `maximumRuns` runs and `maximumRules` rules.
package actor PatrolBook {
    package static let maximumFindings = 500
    package static let maximumRuns = 100
    package static let maximumRules = 200
    /// The longest snooze: 30 days.
    package static let maximumSnoozeHours = 720
    /// Why a finding may be dismissed (Pulse's reasons).
    package static let dismissReasons = ["not_an_issue", "expected_behavior", "will_fix_later"]

    private let documents: PatrolDocuments?
    private var findings: [String: Finding] = [:]
    private(set) var runs: [PatrolRun] = []
    private(set) var rules: [SuppressionRule] = []
    /// Observations between runs.
    package private(set) var memory = PatrolMemory()

    /// Loads what `documents` holds; without documents the book lives in memory only.
    package init(documents: PatrolDocuments?) throws {
        self.documents = documents
        if let stored = try documents?.load() {
            findings = Dictionary(stored.findings.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            runs = stored.runs
            rules = stored.rules
            memory = stored.memory
        }
    }

    // MARK: Reading

    /// Active findings at `now` (open, not suppressed, not snoozed), most severe first.
    package func active(at now: Date) -> [Finding] {
        sorted(findings.values.filter { $0.isActive(at: now) })
    }

    /// Every finding, open or resolved, newest first; at most `limit`.
    package func history(limit: Int) -> [Finding] {
        Array(findings.values.sorted { ($0.lastSeenAt, $0.id) > ($1.lastSeenAt, $1.id) }.prefix(limit))
    }

    /// Findings the user set aside: dismissed, suppressed or snoozed at `now`, while not resolved.
    package func setAside(at now: Date) -> [Finding] {
        sorted(
            findings.values.filter {
                $0.resolvedAt == nil && ($0.dismissedAt != nil || $0.suppressed || ($0.snoozedUntil.map { $0 > now } ?? false))
            })
    }

    package func finding(_ id: String) -> Finding? { findings[id] }

    package func recentRuns(limit: Int) -> [PatrolRun] { Array(runs.reversed().prefix(limit)) }

    package func suppressionRules() -> [SuppressionRule] { rules }

    private func sorted(_ list: [Finding]) -> [Finding] {
        list.sorted { ($0.severity, $1.detectedAt, $1.id) > ($1.severity, $0.detectedAt, $0.id) }
    }

    // MARK: Runs

    /// Takes in a run's detections: new findings are raised, known ones updated, resolved ones
    /// raised again, and open ones not detected resolved automatically. Returns the findings
    /// raised and resolved by this run.
    package func apply(_ detections: [Detection], memory: PatrolMemory, at now: Date) throws -> (raised: [Finding], resolved: [Finding]) {
        var raised: [Finding] = []
        var seen = Set<String>()
        for detection in detections where seen.insert(detection.id).inserted {
            if var finding = findings[detection.id] {
                let reopened = finding.resolvedAt != nil
                finding.severity = detection.severity
                finding.title = detection.title
                finding.description = detection.description
                finding.recommendation = detection.recommendation
                finding.evidence = detection.evidence
                finding.resourceName = detection.resourceName
                finding.lastSeenAt = now
                finding.timesRaised += 1
                if reopened {
                    finding.resolvedAt = nil
                    finding.autoResolved = false
                    finding.resolveReason = nil
                    finding.dismissedAt = nil
                    finding.dismissedReason = nil
                    finding.acknowledgedAt = nil
                    finding.detectedAt = now
                    finding.explanation = nil
                }
                finding.suppressed = rules.contains { $0.matches(finding) }
                findings[detection.id] = finding
                if reopened { raised.append(finding) }
            } else {
                var finding = Finding(detection, at: now)
                finding.suppressed = rules.contains { $0.matches(finding) }
                findings[detection.id] = finding
                raised.append(finding)
            }
        }
        var resolved: [Finding] = []
        for (id, var finding) in findings where finding.resolvedAt == nil && !seen.contains(id) {
            finding.resolvedAt = now
            finding.autoResolved = true
            finding.resolveReason = "No longer detected by patrol"
            findings[id] = finding
            resolved.append(finding)
        }
        self.memory = memory
        trimFindings()
        try save(findings: true, memory: true)
        return (raised, resolved)
    }

    /// Sets the explanation of a finding (from a language model).
    package func explain(_ id: String, _ explanation: String) throws {
        guard findings[id] != nil else { return }
        findings[id]?.explanation = explanation
        try save(findings: true)
    }

    /// Records a run (started or finished), keeping the newest `maximumRuns`.
    package func record(_ run: PatrolRun) throws {
        if let index = runs.firstIndex(where: { $0.id == run.id }) {
            runs[index] = run
        } else {
            runs.append(run)
        }
        if runs.count > Self.maximumRuns { runs.removeFirst(runs.count - Self.maximumRuns) }
        try save(runs: true)
    }

    private func trimFindings() {
        guard findings.count > Self.maximumFindings else { return }
        let resolved = findings.values.filter { $0.resolvedAt != nil }.sorted { ($0.resolvedAt ?? .distantPast) < ($1.resolvedAt ?? .distantPast) }
        for finding in resolved.prefix(findings.count - Self.maximumFindings) { findings[finding.id] = nil }
        // Still too many open ones: the least severe, oldest first.
        if findings.count > Self.maximumFindings {
            let open = findings.values.sorted { ($0.severity, $1.lastSeenAt) < ($1.severity, $0.lastSeenAt) }
            for finding in open.prefix(findings.count - Self.maximumFindings) { findings[finding.id] = nil }
        }
    }

    // MARK: The user's actions

    private func existing(_ id: String) throws -> Finding {
        guard let finding = findings[id] else { throw DomainError.notFound("No patrol finding \(id)") }
        return finding
    }

    package func acknowledge(_ id: String, at now: Date) throws -> Finding {
        var finding = try existing(id)
        finding.acknowledgedAt = now
        return try store(finding)
    }

    package func snooze(_ id: String, hours: Int, at now: Date) throws -> Finding {
        guard (1...Self.maximumSnoozeHours).contains(hours) else {
            throw DomainError.invalid("duration_hours must be a whole number from 1 to \(Self.maximumSnoozeHours)", field: "duration_hours")
        }
        var finding = try existing(id)
        finding.snoozedUntil = now.addingTimeInterval(TimeInterval(hours) * 3600)
        return try store(finding)
    }

    package func dismiss(_ id: String, reason: String, note: String?, at now: Date) throws -> Finding {
        guard Self.dismissReasons.contains(reason) else {
            throw DomainError.invalid("reason must be one of \(Self.dismissReasons.joined(separator: ", "))", field: "reason")
        }
        var finding = try existing(id)
        finding.dismissedAt = now
        finding.dismissedReason = reason
        if let note, !note.isEmpty { finding.userNote = note }
        return try store(finding)
    }

    /// Marks a finding resolved by the user; the next run raises it again if it is still there.
    package func resolve(_ id: String, note: String?, at now: Date) throws -> Finding {
        var finding = try existing(id)
        finding.resolvedAt = now
        finding.autoResolved = false
        finding.resolveReason = "Resolved by a user"
        if let note, !note.isEmpty { finding.userNote = note }
        return try store(finding)
    }

    /// Suppresses findings like this one: a rule for its resource and category.
    package func suppress(_ id: String, at now: Date) throws -> SuppressionRule {
        let finding = try existing(id)
        return try addRule(
            resourceId: finding.resourceId, resourceName: finding.resourceName, category: finding.category,
            description: "Suppressed from finding \(finding.title)", findingId: id, at: now)
    }

    package func addRule(
        resourceId: String, resourceName: String, category: FindingCategory?, description: String, findingId: String? = nil, at now: Date
    ) throws -> SuppressionRule {
        guard !resourceId.isEmpty || category != nil else {
            throw DomainError.invalid("a rule needs a resource_id, a category or both", field: "resource_id")
        }
        guard rules.count < Self.maximumRules else {
            throw DomainError(.tooLarge, code: .limitExceeded, message: "at most \(Self.maximumRules) suppression rules")
        }
        let rule = SuppressionRule(
            id: RandomHex.make(byteCount: 8), resourceId: resourceId, resourceName: resourceName, category: category,
            description: description, createdAt: now, findingId: findingId)
        rules.append(rule)
        refreshSuppression()
        try save(findings: true, rules: true)
        return rule
    }

    package func deleteRule(_ id: String) throws {
        guard let index = rules.firstIndex(where: { $0.id == id }) else { throw DomainError.notFound("No suppression rule \(id)") }
        rules.remove(at: index)
        refreshSuppression()
        try save(findings: true, rules: true)
    }

    /// Forgets every finding (the rules and runs stay).
    package func clearFindings() throws -> Int {
        let count = findings.count
        findings.removeAll()
        try save(findings: true)
        return count
    }

    private func refreshSuppression() {
        for (id, finding) in findings {
            findings[id]?.suppressed = rules.contains { $0.matches(finding) }
        }
    }

    private func store(_ finding: Finding) throws -> Finding {
        findings[finding.id] = finding
        try save(findings: true)
        return finding
    }

    private func save(
        findings saveFindings: Bool = false, runs saveRuns: Bool = false, rules saveRules: Bool = false, memory saveMemory: Bool = false
    )
        throws
    {
        guard let documents else { return }
        if saveFindings { try documents.save(Array(findings.values).sorted { $0.id < $1.id }, as: "findings") }
        if saveRuns { try documents.save(runs, as: "runs") }
        if saveRules { try documents.save(rules, as: "suppressions") }
        if saveMemory { try documents.save(memory, as: "memory") }
    }
}

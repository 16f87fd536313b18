package import Foundation
package import Logging
package import PulseCore
package import PulseSupport

/// Runs patrol: gathers the inputs (state snapshot and metrics history), runs every detector,
/// files the detections in the book, then explains and announces what is new. One run at a time.
package actor Patrol {
    /// How patrol is set up.
    package struct Settings: Sendable {
        /// Between scheduled runs; nil: no scheduled runs (`POST /api/ai/patrol/run` still runs one).
        package var interval: Duration?
        package var thresholds = PatrolThresholds()
        /// The version agents should run; nil or `dev`: agent versions are not checked.
        package var expectedAgentVersion: String?
        /// Announce new warning-or-worse findings through the notification channels.
        package var notify = true
        /// Explanations asked of the model per run at most.
        package var maximumExplanations = 10

        package init(interval: Duration?) {
            self.interval = interval
        }
    }

    package nonisolated let book: PatrolBook
    package nonisolated let events: PatrolEvents
    package nonisolated let settings: Settings
    private let snapshot: @Sendable () async -> StateSnapshot
    private let history: any MetricsStore
    private let time: any TimeSource
    private let logger: Logger
    private var explainer: (any FindingExplainer)?
    private let notifier: (any FindingNotifier)?
    private let certificates: (any CertificateSource)?
    private var current: PatrolRun?
    private(set) var nextRunAt: Date?

    package init(
        book: PatrolBook, settings: Settings, snapshot: @escaping @Sendable () async -> StateSnapshot, history: any MetricsStore,
        time: any TimeSource, logger: Logger, explainer: (any FindingExplainer)? = nil, notifier: (any FindingNotifier)? = nil,
        certificates: (any CertificateSource)? = nil, events: PatrolEvents = PatrolEvents()
    ) {
        self.book = book
        self.settings = settings
        self.snapshot = snapshot
        self.history = history
        self.time = time
        self.logger = logger
        self.explainer = explainer
        self.notifier = notifier
        self.certificates = certificates
        self.events = events
    }

    /// Gives patrol a model to explain new findings with (nil: none).
    package func setExplainer(_ explainer: (any FindingExplainer)?) {
        self.explainer = explainer
    }

    /// When the service will run next (for `/status`).
    package func scheduled(next: Date?) {
        nextRunAt = next
    }

    /// Runs the detectors once and returns the finished run.
    /// - Throws: `DomainError` conflict while another run is under way.
    package func run(trigger: PatrolRun.Trigger) async throws -> PatrolRun {
        guard current == nil else {
            throw DomainError(.conflict, code: DomainError.Code(rawValue: "patrol_running"), message: "a patrol run is already under way")
        }
        let clock = ContinuousClock()
        let started = clock.now
        var run = PatrolRun(id: RandomHex.make(byteCount: 8), trigger: trigger, startedAt: time.now())
        current = run
        defer { current = nil }
        events.send(PatrolEvent(type: .runStarted, at: run.startedAt, run: run))
        do {
            var inputs = try await PatrolInputs.gather(
                snapshot: await snapshot(), store: history, now: run.startedAt, lookback: settings.thresholds.fillLookback,
                expectedAgentVersion: settings.expectedAgentVersion == "dev" ? nil : settings.expectedAgentVersion)
            inputs.certificates = await certificates?.certificates() ?? []
            var memory = await book.memory
            memory.observe(inputs, thresholds: settings.thresholds)
            let detections = settings.thresholds.detectors.flatMap { $0.detect(inputs, memory: memory) }
            let (raised, resolved) = try await book.apply(detections, memory: memory, at: run.startedAt)
            await explain(raised)
            for finding in raised { events.send(PatrolEvent(type: .findingRaised, at: time.now(), finding: await book.finding(finding.id))) }
            for finding in resolved { events.send(PatrolEvent(type: .findingResolved, at: time.now(), finding: finding)) }
            if settings.notify, let notifier {
                let worth = raised.filter { $0.severity >= .warning && !$0.suppressed }
                if !worth.isEmpty { await notifier.notify(worth) }
            }
            run.status = .completed
            run.resourcesChecked = inputs.readings.count + inputs.physicalDisks.count
            run.newFindings = raised.count
            run.resolvedFindings = resolved.count
            run.findingIds = raised.map(\.id)
            run.findingsCount = await book.active(at: time.now()).count
        } catch {
            run.status = .failed
            run.error = "\(error)"
            logger.error("patrol run failed", metadata: ["error": "\(error)"])
        }
        run.completedAt = time.now()
        run.durationMs = Int64(((clock.now - started).seconds * 1000).rounded())
        try? await book.record(run)
        events.send(PatrolEvent(type: run.status == .completed ? .runCompleted : .runFailed, at: run.completedAt ?? time.now(), run: run))
        return run
    }

    private func explain(_ findings: [Finding]) async {
        guard let explainer, await explainer.isAvailable else { return }
        for finding in findings.prefix(settings.maximumExplanations) {
            do {
                let text = try await explainer.explain(finding.explanationPrompt)
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { try await book.explain(finding.id, String(trimmed.prefix(4000))) }
            } catch {
                logger.warning("explaining a patrol finding failed", metadata: ["finding": "\(finding.id)", "error": "\(error)"])
            }
        }
    }

    /// What `/api/ai/patrol/status` shows.
    package func status() async -> PatrolStatus {
        let now = time.now()
        let active = await book.active(at: now)
        let last = await book.recentRuns(limit: 1).first { $0.status != .running }
        let explains = await explainer?.isAvailable ?? false
        var status = PatrolStatus(
            running: current != nil, currentRunId: current?.id, currentRunStartedAt: current?.startedAt, enabled: settings.interval != nil,
            lastPatrolAt: last?.completedAt, nextPatrolAt: settings.interval == nil ? nil : nextRunAt, lastDurationMs: last?.durationMs ?? 0,
            resourcesChecked: last?.resourcesChecked ?? 0, findingsCount: active.count,
            errorCount: await book.recentRuns(limit: PatrolBook.maximumRuns).filter { $0.status == .failed }.count,
            healthy: last.map { $0.status == .completed } ?? true,
            intervalMs: settings.interval.map { $0.components.seconds * 1000 } ?? 0, explanations: explains,
            notifications: settings.notify && notifier != nil,
            detectors: settings.thresholds.detectors.map { PatrolStatus.DetectorRule(name: $0.name, rule: $0.rule) })
        for finding in active {
            switch finding.severity {
            case .critical: status.summary.critical += 1
            case .warning: status.summary.warning += 1
            case .watch: status.summary.watch += 1
            case .info: status.summary.info += 1
            }
        }
        return status
    }
}

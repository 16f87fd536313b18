import AgentProtocol
import CurlHTTP
import Logging
import Synchronization

/// One reporting loop: every interval, collect a report from `source` and deliver it; what cannot
/// be delivered goes to the on-disk buffer, which is drained oldest-first as soon as the server
/// answers again. The agent runs one per enabled module (host, Docker, Kubernetes), each with its
/// own buffer.
///
/// Order is kept: while anything is buffered, a new report joins the end of the buffer instead
/// of overtaking it, so the server always applies reports in the order they were taken.
struct ReportingService {
    let source: any ReportSource
    let sender: ReportSender
    let buffer: ReportBuffer
    let interval: Duration
    let logger: Logger
    /// The server's settings over the flags: the interval and whether this module reports are
    /// read before each cycle, so a change applies without a restart. Nil: `interval`, always on.
    var settings: RemoteSettings? = nil
    /// Counters for the health endpoint.
    var status = AgentStatus()
    /// Waits between delivery attempts and between cycles (tests pass a no-op).
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// Attempts per report before it is buffered, with jittered backoff starting at `retryDelay`.
    var attempts = 3
    var retryDelay: Duration = .milliseconds(500)

    func run() async throws {
        var failures = 0
        let shutdown = ShutdownSignal.current
        while !shutdown.isRequested && !Task.isCancelled {
            let started = ContinuousClock.now
            let before = collectionFailures.value
            let enabled = settings?.isEnabled(source.kind) ?? true
            if case .stopReporting(let reason) = await (enabled ? cycle() : source.whileDisabled()) {
                logger.notice(
                    "reporting stopped at the server's request", metadata: ["kind": .string(source.kind.rawValue), "reason": .string(reason)])
                return
            }
            failures = collectionFailures.value > before ? failures + 1 : 0
            let interval = settings?.interval ?? self.interval
            // A module whose source keeps failing (socket gone, API 5xx) backs off; the others go on.
            let next = started.advanced(by: Self.delay(after: failures, interval: interval))
            try? await shutdown.cancellingOnRequest {
                try await Task.sleep(until: next, clock: .continuous)
            }
        }
        let buffered = await buffer.count
        logger.info("reporting stopped", metadata: ["buffered": .stringConvertible(buffered)])
    }

    /// The wait before the next cycle: the interval, doubled per consecutive failed collection
    /// up to 16 times it, and never more than 5 minutes (unless the interval itself is longer).
    static func delay(after failures: Int, interval: Duration) -> Duration {
        guard failures > 0 else { return interval }
        let backedOff = interval * (1 << min(failures, 4))
        return max(interval, min(backedOff, .seconds(300)))
    }

    /// Failed collections of this loop (the shared `status` counts all loops).
    let collectionFailures = Counter()

    /// One collection and delivery; public to tests, which drive cycles without waiting.
    @discardableResult
    func cycle() async -> ReportSourceDecision {
        let body: [UInt8]
        let started = ContinuousClock.now
        let kind = source.kind
        do {
            body = try await source.nextReport()
            let seconds = (ContinuousClock.now - started).wholeMilliseconds
            status.update { $0.lastCollectionSeconds = Double(seconds) / 1000 }
        } catch {
            logger.error("collecting the report failed", metadata: ["kind": .string(kind.rawValue), "error": "\(error)"])
            collectionFailures.increment()
            status.update {
                $0.collectionFailures += 1
                $0.lastProblem = "\(kind.rawValue) collection failed: \(error)"
            }
            return .keepReporting
        }
        let pending = await buffer.count
        if pending == 0 {
            switch await deliverWithRetries(kind, body) {
            case .delivered(let reply): return await source.accepted(reply: reply)
            case .rejected(let code, let message):
                logger.error("server rejected the report", metadata: ["status": .stringConvertible(code), "reply": .string(message)])
                return await source.rejected(status: code, message: message)
            case .retryLater(let reason):
                logger.warning("server unreachable, keeping the report", metadata: ["reason": .string(reason)])
            }
        }
        do {
            let dropped = try await buffer.append(kind, body: body)
            if dropped > 0 { logger.warning("report buffer full, dropped the oldest", metadata: ["dropped": .stringConvertible(dropped)]) }
        } catch {
            logger.error("cannot buffer the report", metadata: ["error": "\(error)"])
        }
        let decision = await drain()
        let remaining = await buffer.count
        status.update { $0.buffered = remaining }
        return decision
    }

    /// Sends buffered reports oldest-first until one cannot be delivered.
    func drain() async -> ReportSourceDecision {
        var delivered = 0
        defer { if delivered > 0 { logger.info("replayed buffered reports", metadata: ["count": .stringConvertible(delivered)]) } }
        while let entry = await buffer.oldest() {
            let decision: ReportSourceDecision
            switch await deliver(entry.kind, entry.body) {
            case .delivered(let reply):
                delivered += 1
                await buffer.remove(entry.sequence)
                decision = await source.accepted(reply: reply)
            case .rejected(let status, let message):
                logger.error(
                    "server rejected a buffered report; dropping it", metadata: ["status": .stringConvertible(status), "reply": .string(message)])
                await buffer.remove(entry.sequence)
                decision = await source.rejected(status: status, message: message)
            case .retryLater:
                return .keepReporting
            }
            if decision != .keepReporting { return decision }
        }
        return .keepReporting
    }

    /// One delivery attempt, counted for the health endpoint.
    private func deliver(_ kind: ReportKind, _ body: [UInt8]) async -> DeliveryOutcome {
        let outcome = await sender.deliver(kind, body: body)
        switch outcome {
        case .delivered:
            status.recordDelivery(buffered: await buffer.count)
        case .rejected(let code, _):
            status.update {
                $0.reportsRejected += 1
                $0.lastProblem = "the server rejected a report (\(code))"
            }
        case .retryLater(let reason):
            status.update {
                $0.deliveryFailures += 1
                $0.lastProblem = reason
            }
        }
        return outcome
    }

    private func deliverWithRetries(_ kind: ReportKind, _ body: [UInt8]) async -> DeliveryOutcome {
        var delay = retryDelay
        var outcome = DeliveryOutcome.retryLater("not attempted")
        for attempt in 1...max(1, attempts) {
            outcome = await deliver(kind, body)
            guard case .retryLater = outcome, attempt < attempts else { return outcome }
            // ±20 % jitter, so a fleet restarted together does not retry in lockstep.
            let jitter = Double.random(in: 0.8...1.2)
            try? await sleep(delay * jitter)
            delay *= 2
        }
        return outcome
    }
}

/// A thread-safe count, shared by reference so a value-type service can keep one.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

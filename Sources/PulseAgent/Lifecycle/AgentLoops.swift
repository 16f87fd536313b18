import Logging
import UnixSignals

/// Runs the agent's long-lived loops (reporting per module, self-update, health pages) side by side
/// until they end or SIGTERM/SIGINT arrives, then lets each finish its current step.
///
/// A plain task group with a signal watcher: the agent needs no more from a service framework, and
/// leaving one out keeps its binary and memory small.
struct AgentLoops {
    /// What the others do when one loop returns.
    enum WhenDone: Sendable {
        /// The others go on (a module whose source went away, health pages that could not listen).
        case othersCarryOn
        /// Every loop stops (host reporting ended, the self-updater installed a new binary).
        case allStop
    }

    /// One loop: its name (for logs), its body, and what its end means for the others.
    struct Loop: Sendable {
        let name: String
        let whenDone: WhenDone
        let body: @Sendable () async throws -> Void
    }

    var loops: [Loop] = []
    var signals: [UnixSignal] = [.sigterm, .sigint]
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    mutating func add(_ name: String, whenDone: WhenDone, _ body: @escaping @Sendable () async throws -> Void) {
        loops.append(Loop(name: name, whenDone: whenDone, body: body))
    }

    /// Runs every loop until all have returned; the first error a loop throws stops the others and
    /// is thrown once they have finished.
    func run(shutdown: ShutdownSignal = ShutdownSignal()) async throws {
        let logger = logger
        let signals = signals
        let failure = await ShutdownSignal.$current.withValue(shutdown) {
            await withTaskGroup(of: Void.self) { watcher in
                watcher.addTask {
                    for await signal in await UnixSignalsSequence(trapping: signals) {
                        logger.notice("stopping", metadata: ["signal": .string(signal.description)])
                        shutdown.request()
                        return
                    }
                }
                let failure = await withTaskGroup(of: (any Error)?.self) { group in
                    for loop in loops {
                        group.addTask {
                            defer { if loop.whenDone == .allStop { shutdown.request() } }
                            do {
                                try await loop.body()
                                return nil
                            } catch {
                                logger.error("stopped by an error", metadata: ["loop": .string(loop.name), "error": "\(error)"])
                                shutdown.request()
                                return error
                            }
                        }
                    }
                    var first: (any Error)?
                    for await error in group where first == nil { first = error }
                    return first
                }
                watcher.cancelAll()
                return failure
            }
        }
        if let failure { throw failure }
    }
}

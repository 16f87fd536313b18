import Synchronization

/// The agent's "stop now" flag: set once by SIGTERM/SIGINT or by a loop that asks for it (the
/// self-updater after installing a new binary), and seen by every loop, which then finishes its
/// current step (a report being delivered goes to the buffer, not into the void) and returns.
///
/// The agent's loops read it as `ShutdownSignal.current`, a task-local the runner sets.
final class ShutdownSignal: Sendable {
    /// The signal of the loops running in this task; a fresh, never-requested one outside them.
    @TaskLocal static var current = ShutdownSignal()

    private struct State {
        var requested = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Whether a stop was asked for.
    var isRequested: Bool { state.withLock { $0.requested } }

    /// Asks every loop to stop; later calls do nothing.
    func request() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.requested else { return [] }
            state.requested = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once a stop is asked for, or when the calling task is cancelled.
    func wait() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.requested || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Runs `operation` and cancels it when a stop is asked for (it then throws `CancellationError`,
    /// as a cancelled sleep does). For waits between steps, never for a step that must finish.
    func cancellingOnRequest<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                await self.wait()
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw CancellationError() }
            return value
        }
    }
}

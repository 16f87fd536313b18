import Synchronization

/// Lets at most `limit` operations run at once; the others wait their turn in arrival order.
///
/// Agent reports pass through one to be decoded and applied: a thousand agents reporting at the
/// same moment otherwise had a thousand decoded reports waiting for the state at once (hundreds
/// of megabytes for a moment, kept by the allocator afterwards). The work is CPU-bound, so a few
/// at a time keep the cores busy.
package final class ConcurrencyGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var nextWaiter = 0
    }

    private let state: Mutex<State>

    /// A gate for `limit` operations at once (at least one).
    package init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Runs `operation` once a place is free.
    package func run<T>(_ operation: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await operation()
    }

    private func acquire() async {
        let admitted = state.withLock { state -> Bool in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if admitted { return }
        await withCheckedContinuation { continuation in
            let admittedMeanwhile = state.withLock { state -> Bool in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if admittedMeanwhile { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.nextWaiter < state.waiters.count else {
                state.available += 1
                return nil
            }
            let waiter = state.waiters[state.nextWaiter]
            state.nextWaiter += 1
            if state.nextWaiter > 64, state.nextWaiter * 2 > state.waiters.count {
                state.waiters.removeFirst(state.nextWaiter)
                state.nextWaiter = 0
            }
            return waiter
        }
        // The place passes straight to the waiter: `available` stays as it is.
        next?.resume()
    }

    /// Operations waiting for a place.
    var waiting: Int { state.withLock { $0.waiters.count - $0.nextWaiter } }
}

import Synchronization

/// A value made on first demand and kept: the first caller makes it, callers that ask meanwhile
/// wait for that one result instead of making it again, later callers get it at once.
package final class MadeOnce<Value: Sendable>: Sendable {
    private enum Stage {
        case notAsked
        case making(waiting: [CheckedContinuation<Value, Never>])
        case made(Value)
    }

    /// What a caller of `value(makingWith:)` does.
    private enum Turn {
        case make, wait
        case take(Value)
    }

    private let stage: Mutex<Stage>

    /// Nothing made yet.
    package init() {
        stage = Mutex(.notAsked)
    }

    /// Already made: `value`.
    package init(_ value: Value) {
        stage = Mutex(.made(value))
    }

    /// The value if it was made.
    package var value: Value? {
        stage.withLock { stage in
            if case .made(let value) = stage { return value }
            return nil
        }
    }

    /// The value, made now by `make` if nobody made or is making it.
    package func value(makingWith make: () -> Value) async -> Value {
        let turn = stage.withLock { stage -> Turn in
            switch stage {
            case .notAsked:
                stage = .making(waiting: [])
                return .make
            case .making: return .wait
            case .made(let value): return .take(value)
            }
        }
        switch turn {
        case .make:
            let made = make()
            let waiting = stage.withLock { stage -> [CheckedContinuation<Value, Never>] in
                defer { stage = .made(made) }
                if case .making(let waiting) = stage { return waiting }
                return []
            }
            for waiter in waiting { waiter.resume(returning: made) }
            return made
        case .wait:
            return await withCheckedContinuation { continuation in
                let ready = stage.withLock { stage -> Value? in
                    switch stage {
                    case .made(let value): return value
                    case .making(var waiting):
                        waiting.append(continuation)
                        stage = .making(waiting: waiting)
                        return nil
                    case .notAsked:
                        preconditionFailure("a value being made is never unasked")
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        case .take(let value):
            return value
        }
    }
}

import Synchronization

/// Tells interested parties (WebSocket clients, later alerting) that the state changed.
///
/// Each subscriber gets an `AsyncStream` that buffers only the newest change, so a slow reader
/// sees "something changed since you last looked" once, never a growing backlog.
package final class StateChanges: Sendable {
    package init() {}

    private struct Subscribers {
        var next = 0
        var continuations: [Int: AsyncStream<UInt64>.Continuation] = [:]
    }

    private let subscribers = Mutex(Subscribers())
    private let version = Mutex<UInt64>(0)

    /// The number of changes so far.
    package var current: UInt64 { version.withLock { $0 } }

    /// Records one change and wakes every subscriber.
    package func notify() {
        let value = version.withLock { version in
            version &+= 1
            return version
        }
        subscribers.withLock { state in
            for continuation in state.continuations.values { continuation.yield(value) }
        }
    }

    /// A stream of change numbers; ends when the consumer stops iterating.
    package func subscribe() -> AsyncStream<UInt64> {
        let (stream, continuation) = AsyncStream<UInt64>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = subscribers.withLock { state in
            let key = state.next
            state.next += 1
            state.continuations[key] = continuation
            return key
        }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { state in state.continuations[key] = nil }
        }
        return stream
    }

    var subscriberCount: Int { subscribers.withLock { $0.continuations.count } }
}

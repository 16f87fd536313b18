import AgentProtocol
import Foundation
package import PulseSupport
import Synchronization

/// Where an update stands (`GET /api/updates/status`, one event of `/api/updates/stream`).
package struct UpdateStatus: Codable, Sendable, Equatable {
    package enum State: String, Codable, Sendable {
        case idle, checking, downloading, installing, completed, error
    }

    package var status: State
    /// 0–100.
    package var progress: Int
    package var message: String
    /// Why it failed; absent unless `status` is `error`.
    package var error: String?
    /// RFC 3339.
    package var updatedAt: String
}

/// The current update status and everyone watching it. A watcher gets the current status
/// first, then each change; one that falls behind by more than a few changes misses the
/// oldest (the newest always arrives).
///
/// A lock rather than an actor: a stream's end (a client gone) removes its watcher at once,
/// from a callback that cannot wait.
package final class UpdateProgress: Sendable {
    private struct Watched {
        var current: UpdateStatus
        var watchers: [UUID: AsyncStream<UpdateStatus>.Continuation] = [:]
    }

    private let time: any TimeSource
    private let state: Mutex<Watched>

    package init(time: any TimeSource) {
        self.time = time
        state = Mutex(
            Watched(current: UpdateStatus(status: .idle, progress: 0, message: "No update in progress", updatedAt: RFC3339.format(time.now()) ?? "")))
    }

    package var current: UpdateStatus { state.withLock { $0.current } }

    /// Records and broadcasts a new status.
    package func set(_ status: UpdateStatus.State, _ progress: Int, _ message: String, error: String? = nil) {
        let next = UpdateStatus(status: status, progress: progress, message: message, error: error, updatedAt: RFC3339.format(time.now()) ?? "")
        state.withLock { watched in
            watched.current = next
            for watcher in watched.watchers.values { watcher.yield(next) }
        }
    }

    /// The current status, then every change, until the caller stops iterating.
    package func watch() -> AsyncStream<UpdateStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: UpdateStatus.self, bufferingPolicy: .bufferingNewest(16))
        let id = UUID()
        state.withLock { watched in
            watched.watchers[id] = continuation
            continuation.yield(watched.current)
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// How many streams are open (tests check that a closed stream is let go).
    package var watcherCount: Int { state.withLock { $0.watchers.count } }
}

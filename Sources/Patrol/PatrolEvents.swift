package import Foundation
import Synchronization

/// What `/api/ai/patrol/stream` sends: a run started or ended, a finding was raised or resolved.
package struct PatrolEvent: Encodable, Sendable, Equatable {
    package enum Kind: String, Encodable, Sendable {
        case runStarted = "run_started", runCompleted = "run_completed", runFailed = "run_failed"
        case findingRaised = "finding_raised", findingResolved = "finding_resolved"
    }

    package var type: Kind
    package var at: Date
    package var run: PatrolRun?
    package var finding: Finding?

    package init(type: Kind, at: Date, run: PatrolRun? = nil, finding: Finding? = nil) {
        self.type = type
        self.at = at
        self.run = run
        self.finding = finding
    }
}

/// Hands each patrol event to every current watcher. A slow watcher loses the oldest of its
/// unread events beyond `bufferLimit`, never holds up a run.
package final class PatrolEvents: Sendable {
    private let watchers = Mutex<[UUID: AsyncStream<PatrolEvent>.Continuation]>([:])
    private let bufferLimit: Int

    package init(bufferLimit: Int = 256) {
        self.bufferLimit = bufferLimit
    }

    /// Events from now on, until the caller stops reading.
    package func watch() -> AsyncStream<PatrolEvent> {
        let (stream, continuation) = AsyncStream<PatrolEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferLimit))
        let id = UUID()
        watchers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.watchers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    package func send(_ event: PatrolEvent) {
        for continuation in watchers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    /// How many watch now (tests).
    package var watcherCount: Int { watchers.withLock { $0.count } }
}

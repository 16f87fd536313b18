import CurlHTTP
import Foundation
import NIOCore
package import PulseCore
package import PulseSupport
import Synchronization

/// The encoded state shared by `/api/state` and `/ws`: one `EncodedState` at a time, built once
/// and served as the same bytes to every reader until it is too old.
///
/// With `maxStaleness` zero a reader gets exactly the current version (as `MonitoringState.snapshot()`
/// gives it). Above zero, a reader may get a document up to `maxStaleness` old on the server's
/// clock, versions and clock-driven fields alike, so a state that changes hundreds of times a
/// second is encoded a few times a second rather than once per request; the
/// `StateDocumentRefreshService` builds a newer one beside the readers. A client always sees its
/// own writes: a reader gets no document older than the last change it made through the API
/// (`noteWrite`, keyed by its token or user).
package final class StateDocuments: Sendable {
    private let state: MonitoringState
    private let time: any TimeSource
    /// How old a served document may be; zero serves only the current version.
    package let maxStaleness: Duration
    private let stored = Mutex(Stored())
    private let builder = Builder()
    private let buildCount = Atomic<Int>(0)

    private struct Stored {
        var latest: EncodedState?
        /// Whether `latest` was served since it was built (the refresh service builds only then).
        var readSinceBuild = false
        var writes = WriterVersions()
    }

    /// `time` is the state's time source (`MonitoringState.time`).
    package init(state: MonitoringState, time: any TimeSource, maxStaleness: Duration) {
        self.state = state
        self.time = time
        self.maxStaleness = maxStaleness
    }

    private var staleness: TimeInterval { maxStaleness.seconds }

    /// The document for `reader` (`Authentication.readerKey`): the kept one if it may be served,
    /// otherwise one built now (shared with concurrent readers).
    package func document(for reader: String?) async throws -> EncodedState {
        while true {
            let now = time.now()
            let current = state.changes.current
            let served = stored.withLock { stored -> EncodedState? in
                guard let latest = stored.latest,
                    Self.acceptable(
                        latest, current: current, required: stored.writes.required(of: reader), now: now, staleness: staleness)
                else { return nil }
                stored.readSinceBuild = true
                return latest
            }
            if let served { return served }
            let built = try await build()
            // A build that started before this reader's write may not hold it: look again.
            let required = stored.withLock { $0.writes.required(of: reader) }
            if built.version >= required {
                stored.withLock { $0.readSinceBuild = true }
                return built
            }
        }
    }

    /// Builds a newer document if the kept one was read since it was built and is no longer the
    /// current, fresh state (the refresh service, every half `maxStaleness`).
    package func refreshIfRead() async throws {
        let now = time.now()
        let current = state.changes.current
        let due = stored.withLock { stored in
            guard stored.readSinceBuild, let latest = stored.latest else { return false }
            return !Self.acceptable(latest, current: current, required: 0, now: now, staleness: 0)
        }
        if due { _ = try await build() }
    }

    /// Records that `writer` changed something through the API: its next reads show the state
    /// as of now or later.
    package func noteWrite(by writer: String) {
        let version = state.changes.current
        let now = time.now()
        stored.withLock { $0.writes.note(writer, version: version, at: now, keptFor: staleness) }
    }

    /// The kept document (for tests).
    package var latest: EncodedState? { stored.withLock { $0.latest } }

    /// Documents built so far (for tests and benchmarks).
    package var builds: Int { buildCount.load(ordering: .relaxed) }

    /// Whether `document` may be served to a reader who needs at least version `required`.
    static func acceptable(_ document: EncodedState, current: UInt64, required: UInt64, now: Date, staleness: TimeInterval) -> Bool {
        let age = now.timeIntervalSince(document.builtAt)
        guard age >= 0 else { return false }
        if document.version == current && age < PublishedSnapshot.freshness { return true }
        return document.version >= required && age < staleness
    }

    private func build() async throws -> EncodedState {
        try await builder.shared {
            let versioned = await self.state.versionedSnapshot()
            // Gzip readers and compressing `/ws` clients used the last one: have this one ready
            // for them before it is served, rather than have the first of them wait for it.
            let (compressing, expectedSize) = self.stored.withLock { stored in
                (stored.latest?.compressionWasUsed ?? false, stored.latest?.message.readableBytes ?? 0)
            }
            // Encoding and compressing take about 0.2 s of CPU for 5,000 guests and 1,000 hosts:
            // on a thread of their own, so they do not hold one of Swift concurrency's few threads
            // (two on a two-core machine) while agent reports wait behind them.
            let document = try await BlockingThread.run(niceness: 5) {
                try EncodedState(versioned, compressing: compressing, expectedSize: expectedSize)
            }
            self.buildCount.add(1, ordering: .relaxed)
            let replaced = self.stored.withLock { stored -> EncodedState? in
                if let latest = stored.latest, latest.version > document.version || latest.builtAt > document.builtAt { return nil }
                defer {
                    stored.latest = document
                    stored.readSinceBuild = false
                }
                return stored.latest
            }
            _ = replaced  // released here, outside the lock
            return document
        }
    }

    /// Runs one build at a time; whoever asks while one runs gets its result.
    private actor Builder {
        private var waiting: [CheckedContinuation<EncodedState, any Error>]?

        func shared(_ make: @Sendable () async throws -> EncodedState) async throws -> EncodedState {
            if waiting != nil {
                return try await withCheckedThrowingContinuation { continuation in waiting?.append(continuation) }
            }
            waiting = []
            let result: Result<EncodedState, any Error>
            do { result = .success(try await make()) } catch { result = .failure(error) }
            let waiters = waiting ?? []
            waiting = nil
            for waiter in waiters { waiter.resume(with: result) }
            return try result.get()
        }
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

import AgentProtocol
package import Foundation
package import Logging
import Synchronization

/// One line the server logged, as `/api/logs/*` and the diagnostics bundle show it (already redacted).
package struct LogLine: Codable, Sendable, Equatable {
    package var at: Date
    /// `trace` … `critical`.
    package var level: String
    /// The logger's label.
    package var source: String
    /// The message with its metadata (`key=value`); redacted in every copy `RecentLogLines` hands out.
    package var message: String

    package init(at: Date, level: String, source: String, message: String) {
        self.at = at
        self.level = level
        self.source = source
        self.message = message
    }

    /// The line with its secrets blanked (`LogRedaction`).
    func redacted() -> LogLine {
        var line = self
        line.message = LogRedaction.redact(message)
        return line
    }

    /// `2026-12-07T03:00:00Z info pulse: message`.
    package var text: String { "\(RFC3339.format(at) ?? "-") \(level) \(source): \(message)" }
}

/// The server's recent log lines in memory (a ring of `capacity`), and the live followers of
/// `GET /api/logs/stream`. Every line leaves redacted (`lines`, `follow`); the ring keeps them as
/// logged, because redacting costs about a millisecond a line and most lines are never read: done
/// as they arrive, it sat on every request's path.
package final class RecentLogLines: Sendable {
    package static let defaultCapacity = 2_000
    /// A longer message is cut: one runaway line must not hold the ring's memory.
    static let maximumMessageLength = 4_096

    private struct Ring {
        var lines: [LogLine] = []
        var next = 0
        var followers: [Int: AsyncStream<LogLine>.Continuation] = [:]
        var nextFollower = 0
    }

    package let capacity: Int
    private let ring = Mutex(Ring())

    package init(capacity: Int = RecentLogLines.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    package func append(_ line: LogLine) {
        var line = line
        if line.message.utf8.count > Self.maximumMessageLength {
            line.message = String(line.message.prefix(Self.maximumMessageLength)) + " …"
        }
        let followers = ring.withLock { ring -> [AsyncStream<LogLine>.Continuation] in
            if ring.lines.count < capacity {
                ring.lines.append(line)
            } else {
                ring.lines[ring.next] = line
                ring.next = (ring.next + 1) % capacity
            }
            return Array(ring.followers.values)
        }
        guard !followers.isEmpty else { return }
        let shown = line.redacted()
        for follower in followers { follower.yield(shown) }
    }

    /// The newest `limit` lines (all when nil), oldest first, at `minimum` level or above.
    package func lines(limit: Int? = nil, minimum: Logger.Level = .trace) -> [LogLine] {
        let all = ring.withLock { Array($0.lines[$0.next...] + $0.lines[..<$0.next]) }
        let kept = all.filter { (Logger.Level(rawValue: $0.level) ?? .trace) >= minimum }
        return (limit.map { Array(kept.suffix($0)) } ?? kept).map { $0.redacted() }
    }

    /// Lines from now on, until the stream's consumer stops; a slow consumer loses the oldest
    /// of its unread lines beyond 1,000 rather than holding the server's memory.
    package func follow() -> AsyncStream<LogLine> {
        let (stream, continuation) = AsyncStream<LogLine>.makeStream(bufferingPolicy: .bufferingNewest(1_000))
        let id = ring.withLock { ring -> Int in
            defer { ring.nextFollower += 1 }
            ring.followers[ring.nextFollower] = continuation
            return ring.nextFollower
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.ring.withLock { $0.followers.removeValue(forKey: id) }
        }
        return stream
    }

    package var followerCount: Int { ring.withLock { $0.followers.count } }
}

package import Logging
package import PulseSupport

/// The server's log handler: its level is the run-time level (`RuntimeLogLevel`, which
/// `/api/logs/level` and the `logLevel` setting change), it writes through to another handler,
/// and keeps each line in `RecentLogLines` (for `/api/logs/*` and the diagnostics bundle).
package struct RecordingLogHandler: LogHandler {
    package var wrapped: any LogHandler
    package let recent: RecentLogLines
    package let level: RuntimeLogLevel
    private let label: String
    private let time: any TimeSource

    package init(wrapping wrapped: any LogHandler, label: String, recent: RecentLogLines, level: RuntimeLogLevel, time: any TimeSource) {
        self.wrapped = wrapped
        self.level = level
        self.label = label
        self.recent = recent
        self.time = time
    }

    package var logLevel: Logger.Level {
        get { level.level }
        nonmutating set { level.level = newValue }
    }

    package var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    package func log(event: LogEvent) {
        wrapped.log(event: event)
        var merged = wrapped.metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let message = ([event.message.description] + fields).joined(separator: " ")
        recent.append(LogLine(at: time.now(), level: event.level.rawValue, source: label, message: message))
    }
}

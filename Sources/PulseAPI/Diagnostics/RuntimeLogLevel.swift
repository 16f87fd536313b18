package import Logging
import Synchronization

/// The log level in force, changed at run time by the `logLevel` setting. `pulse` puts `shared`
/// behind every logger (`RuntimeLevelLogHandler`); a server built in a test has its own.
package final class RuntimeLogLevel: Sendable {
    package static let shared = RuntimeLogLevel()

    package init() {}
    private let current = Mutex(Logger.Level.info)

    package var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// Pulse's level names: `warn` for swift-log's `warning`; trace and notice read as the nearest.
    package static func pulseName(of level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    package static func level(named name: String) -> Logger.Level {
        switch name {
        case "debug": .debug
        case "warn": .warning
        case "error": .error
        default: .info
        }
    }

    /// The names `/api/logs/level` and the `logLevel` setting accept.
    package static let pulseNames = ["debug", "info", "warn", "error"]
}

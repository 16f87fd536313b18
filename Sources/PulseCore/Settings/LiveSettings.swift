import Synchronization

/// The system settings in force, shared by the services that follow them: they read `current`
/// when they next need a value, so a change applies without a restart.
package final class LiveSettings: Sendable {
    private let settings: Mutex<SystemSettings>
    /// Keys a flag or environment variable fixed at start (`envOverrides`).
    package let locked: Set<String>

    package init(_ settings: SystemSettings, locked: Set<String> = []) {
        self.settings = Mutex(settings)
        self.locked = locked
    }

    package var current: SystemSettings { settings.withLock { $0 } }

    /// Replaces the settings; returns the previous ones.
    @discardableResult
    package func replace(with new: SystemSettings) -> SystemSettings {
        settings.withLock { current in
            defer { current = new }
            return current
        }
    }
}

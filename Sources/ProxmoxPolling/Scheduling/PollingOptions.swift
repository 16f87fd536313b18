import Synchronization

/// The run-time knobs of Proxmox polling that the system settings change: whether and how often
/// PVE backups are read, and how long one API request may take. The poll loops read them on each
/// cycle, so a change applies from the next poll without a restart.
package final class PollingOptions: Sendable {
    package struct Values: Sendable, Equatable {
        /// Read PVE backup tasks and backup files at all (`backupPollingEnabled`).
        package var backupsEnabled = true
        /// Seconds between backup reads (`backupPollingInterval`); 0: every tenth poll.
        package var backupInterval: Double = 0
        /// The limit on one Proxmox API request (`connectionTimeout`).
        package var requestTimeout: Duration = .seconds(10)

        package init(backupsEnabled: Bool = true, backupInterval: Double = 0, requestTimeout: Duration = .seconds(10)) {
            self.backupsEnabled = backupsEnabled
            self.backupInterval = backupInterval
            self.requestTimeout = requestTimeout
        }
    }

    private let values: Mutex<Values>

    package init(_ values: Values = Values()) {
        self.values = Mutex(values)
    }

    package var current: Values { values.withLock { $0 } }

    package func set(_ new: Values) { values.withLock { $0 = new } }
}

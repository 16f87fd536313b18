package import Foundation
import PulseSupport

/// The alert settings (`GET/POST /api/alerts/`), with Pulse v5's keys and defaults.
///
/// A posted document may leave keys out: they keep their defaults (see `merged(over:)`).
package struct AlertConfiguration: Codable, Sendable, Equatable {
    package var enabled = true
    /// `pending_review`, `active` or `snoozed`; only `active` notifies.
    package var activationState = "active"
    /// When notifications were last turned on by `POST /api/alerts/activate` (RFC 3339).
    package var activationTime: String?
    var observationWindowHours = 24

    var guestDefaults = ThresholdConfig(
        cpu: .init(trigger: 80, clear: 75), memory: .init(trigger: 85, clear: 80), disk: .init(trigger: 90, clear: 85))
    var nodeDefaults = ThresholdConfig(
        cpu: .init(trigger: 80, clear: 75), memory: .init(trigger: 85, clear: 80), disk: .init(trigger: 90, clear: 85),
        temperature: .init(trigger: 80, clear: 75))
    /// Agent hosts. Temperature is ours: Pulse v5 alerts on node temperatures only.
    var hostDefaults = ThresholdConfig(
        cpu: .init(trigger: 80, clear: 75), memory: .init(trigger: 85, clear: 80), disk: .init(trigger: 90, clear: 85),
        temperature: .init(trigger: 80, clear: 75))
    var storageDefault = ThresholdPair(trigger: 85, clear: 80)
    var dockerDefaults = DockerThresholds()
    var snapshotDefaults = AgeThresholds(enabled: false, warningDays: 30, criticalDays: 45)
    var backupDefaults = AgeThresholds(enabled: false, warningDays: 7, criticalDays: 14)

    /// Per resource ID (`<inst>-<node>`, `<inst>:<node>:<vmid>`, `host:<id>`, `docker:<host>/<ctr>`, …).
    var overrides: [String: ThresholdConfig] = [:]

    /// Seconds a value must stay at or above its trigger before the alert fires.
    var timeThreshold = 5
    /// Per resource type (`guest`, `node`, `storage`, `pbs`, `host`, `docker`): overrides `timeThreshold`.
    var timeThresholds: [String: Int] = ["guest": 5, "node": 5, "storage": 5, "pbs": 5]
    /// Per resource type, then metric (or `default`): overrides both of the above.
    var metricTimeThresholds: [String: [String: Int]] = [:]

    var minimumDelta = 2.0
    var suppressionWindow = 5
    var hysteresisMargin = 5.0

    /// Containers whose name or ID starts with one of these (case-insensitive) never alert.
    var dockerIgnoredContainerPrefixes: [String] = []

    var disableAllNodes = false
    var disableAllGuests = false
    var disableAllHosts = false
    var disableAllStorage = false
    var disableAllPBS = false
    var disableAllPMG = false
    var disableAllDockerHosts = false
    var disableAllDockerContainers = false
    var disableAllKubernetesClusters = false
    var disableAllNodesOffline = false
    var disableAllGuestsOffline = false
    var disableAllHostsOffline = false
    var disableAllPBSOffline = false
    var disableAllPMGOffline = false
    var disableAllDockerHostsOffline = false
    var disableAllKubernetesClustersOffline = false

    /// Consecutive evaluations a resource must be offline before its alert fires.
    var offlineConfirmations = 3

    var flappingEnabled = true
    var flappingWindowSeconds = 300
    /// State changes within the window that make an alert "flapping".
    var flappingThreshold = 5
    /// How long a flapping alert is kept from firing again.
    var flappingCooldownMinutes = 15

    package var schedule = AlertSchedule()

    var maxAlertAgeDays = 7
    var maxAcknowledgedAgeDays = 1
    var autoAcknowledgeAfterHours = 24

    /// Keys whose objects are replaced, not merged, when a partial document is posted.
    private static let replacedWhole: Set<String> = ["overrides", "metricTimeThresholds", "timeThresholds", "dockerIgnoredContainerPrefixes"]

    /// The configuration `json` describes, with every key it leaves out taken from `self`.
    package func merged(with json: Data) throws -> AlertConfiguration {
        try JSONMerge.merged(self, with: json, replacedWhole: Self.replacedWhole)
    }
}

/// Docker container thresholds and rules.
package struct DockerThresholds: Codable, Sendable, Equatable {
    package var cpu = ThresholdPair(trigger: 80, clear: 75)
    package var memory = ThresholdPair(trigger: 85, clear: 80)
    package var disk = ThresholdPair(trigger: 85, clear: 80)
    /// A restart loop: the restart count rose by at least this much …
    package var restartCount = 3
    /// … within this many seconds.
    var restartWindow = 300
    /// Memory use against the container's limit: warning and critical percentages.
    var memoryWarnPct = 90.0
    var memoryCriticalPct = 95.0
    /// Alert when a container that was running has stopped.
    var stateAlerts = true
    /// "Image update available": absent or negative is off (the default here; Pulse v5's is 24),
    /// otherwise the alert fires once the agent has reported the update for this many hours of
    /// regular checks (0: at the first). Optional, so configurations saved before it still decode.
    var updateAlertDelayHours: Int?
}

/// Age limits for backups and snapshots (off by default).
package struct AgeThresholds: Codable, Sendable, Equatable {
    package var enabled: Bool
    var warningDays: Int
    var criticalDays: Int
}

/// When notifications go out.
package struct AlertSchedule: Codable, Sendable, Equatable {
    var quietHours = QuietHours()
    /// Minutes before the same alert notifies again.
    package var cooldown = 5
    package var maxAlertsHour = 10
    package var notifyOnResolve = true
    package var grouping = Grouping()

    package init() {}

    package struct Grouping: Codable, Sendable, Equatable {
        package var enabled = true
        /// Seconds during which new alerts are gathered into one notification.
        package var window = 30
        var byNode = true
        var byGuest = false
    }
}

/// Hours during which warnings are not notified (critical alerts still are).
package struct QuietHours: Codable, Sendable, Equatable {
    package var enabled = false
    /// `HH:mm`, in `timezone`.
    package var start = "22:00"
    package var end = "08:00"
    var timezone = "UTC"
    /// Lower-case English weekday names → whether quiet hours apply that day.
    var days: [String: Bool] = [
        "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
    ]

    /// Whether `date` falls inside quiet hours. A window past midnight belongs to the day it starts.
    package func contains(_ date: Date) -> Bool {
        guard enabled, let startMinute = Self.minutes(start), let endMinute = Self.minutes(end) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute, .weekday], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let weekday = parts.weekday ?? 1
        let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        func applies(_ day: Int) -> Bool { days[names[(day - 1 + 7) % 7]] ?? false }
        if startMinute <= endMinute {
            return minute >= startMinute && minute < endMinute && applies(weekday)
        }
        if minute >= startMinute { return applies(weekday) }
        return minute < endMinute && applies(weekday - 1)
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }
}

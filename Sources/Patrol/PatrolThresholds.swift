package import Foundation

/// Every threshold the detectors use, in one place (the closing note and `/status` list them).
package struct PatrolThresholds: Sendable, Equatable {
    /// Disks and storage: a finding when the linear fit reaches 100 % within this many days…
    package var fillHorizonDays = 7.0
    /// …critical within this many.
    package var fillCriticalDays = 2.0
    /// History the fill forecast fits (hourly points).
    package var fillLookback: TimeInterval = 72 * 3600
    /// The fit needs at least this many points over at least this span, and this R².
    package var fitMinimumPoints = 6
    package var fitMinimumSpan: TimeInterval = 12 * 3600
    package var fillMinimumFit = 0.6
    /// Memory growing steadily: over the last `memoryLookback`, at least `memoryGrowthPerDay`
    /// percentage points a day, a rise of at least `memoryMinimumRise` points, with R² ≥ `memoryMinimumFit`.
    package var memoryLookback: TimeInterval = 24 * 3600
    package var memoryGrowthPerDay = 5.0
    package var memoryMinimumRise = 10.0
    package var memoryMinimumFit = 0.8
    /// A guest's newest backup may be this old (`PULSE_PATROL_BACKUP_MAX_AGE_HOURS`); twice as old is critical.
    package var backupMaxAge: TimeInterval = 7 * 86_400
    /// Restart loops: this many restarts within `restartWindow`; twice as many is critical.
    package var restartCount = 3
    package var restartWindow: TimeInterval = 3600
    /// SMART: counters compared with the oldest reading of this window.
    package var smartWindow: TimeInterval = 7 * 86_400
    /// Proxmox disks: a warning at or below this percent of life left.
    package var wearoutLowPercent = 10
    /// Nodes of one instance out of balance: memory or CPU apart by at least this many percentage points.
    package var balanceSpread = 40.0
    /// Certificates: a warning within this many days of expiry, critical within `certificateCriticalDays`.
    package var certificateWarningDays = 14.0
    package var certificateCriticalDays = 3.0

    package init() {}
}

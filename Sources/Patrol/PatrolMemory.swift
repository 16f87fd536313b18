import AgentProtocol
package import Foundation
import PulseCore

/// What patrol remembers between runs, for the detectors that compare with the past: restart
/// counters and uptimes (restart loops) and SMART counters and wear (worsening disks). Saved with
/// the findings; only resources present in the latest run are kept, each within its window.
package struct PatrolMemory: Codable, Sendable, Equatable {
    /// A counter's value at a time.
    package struct Count: Codable, Sendable, Equatable {
        package var time: Date
        package var value: Int64
    }

    /// A running guest as last seen, and the restarts noticed within the window.
    package struct GuestRun: Codable, Sendable, Equatable {
        package var seenAt: Date
        package var uptime: Int64
        package var restarts: [Date]
    }

    /// A disk's damage counters at a time (`reallocated_sectors`, `pending_sectors`, `offline_uncorrectable`, `media_errors`).
    package struct DiskCounters: Codable, Sendable, Equatable {
        package var time: Date
        package var counters: [String: Int64]
    }

    /// Docker containers' restart counts, by `<docker host>/<container>`.
    package var containerRestarts: [String: [Count]] = [:]
    package var guestRuns: [String: GuestRun] = [:]
    /// Agents' SMART disks, by `host:<id>/<device>`.
    package var disks: [String: [DiskCounters]] = [:]

    /// Observations kept per resource at most (a run every minute for a week would be 10,080).
    static let maximumObservations = 200

    package init() {}

    /// Takes in the run's readings: appends observations, notices guest restarts, and forgets
    /// resources no longer present and observations older than their window.
    package mutating func observe(_ inputs: PatrolInputs, thresholds: PatrolThresholds) {
        let now = inputs.now
        var containers: [String: [Count]] = [:]
        for reading in inputs.readings where reading.kind == .dockerHost {
            for container in reading.containers {
                let key = "\(reading.recordID)/\(container.id)"
                var list = (containerRestarts[key] ?? []).filter { now.timeIntervalSince($0.time) <= thresholds.restartWindow }
                list.append(Count(time: now, value: Int64(container.restartCount)))
                containers[key] = Array(list.suffix(Self.maximumObservations))
            }
        }
        containerRestarts = containers

        var guests: [String: GuestRun] = [:]
        for (id, uptime) in inputs.guestUptimes {
            var restarts = guestRuns[id]?.restarts ?? []
            if let previous = guestRuns[id], Double(uptime) < now.timeIntervalSince(previous.seenAt) {
                restarts.append(now)
            }
            restarts = restarts.filter { now.timeIntervalSince($0) <= thresholds.restartWindow }
            guests[id] = GuestRun(seenAt: now, uptime: uptime, restarts: Array(restarts.suffix(Self.maximumObservations)))
        }
        guestRuns = guests

        var disks: [String: [DiskCounters]] = [:]
        for (key, counters) in Self.diskCounters(inputs) {
            var list = (self.disks[key] ?? []).filter { now.timeIntervalSince($0.time) <= thresholds.smartWindow }
            // One observation an hour is enough to compare over a week, unless something changed.
            if let last = list.last, last.counters == counters, now.timeIntervalSince(last.time) < 3600 {
                disks[key] = list
                continue
            }
            list.append(DiskCounters(time: now, counters: counters))
            disks[key] = Array(list.suffix(Self.maximumObservations))
        }
        self.disks = disks
    }

    /// The damage counters of every agent-reported SMART disk, by disk key. Wear is left out: it
    /// rises with normal use, so it is judged by what is left (`wearoutLowPercent`), not by change.
    static func diskCounters(_ inputs: PatrolInputs) -> [String: [String: Int64]] {
        var result: [String: [String: Int64]] = [:]
        for reading in inputs.readings where reading.kind == .host {
            for disk in reading.disks where disk.standby != true {
                guard let attributes = disk.attributes else { continue }
                var counters: [String: Int64] = [:]
                counters["reallocated_sectors"] = attributes.reallocatedSectors
                counters["pending_sectors"] = attributes.pendingSectors
                counters["offline_uncorrectable"] = attributes.offlineUncorrectable
                counters["media_errors"] = attributes.mediaErrors
                guard !counters.isEmpty else { continue }
                result["\(reading.id)/\(disk.device)"] = counters
            }
        }
        return result
    }
}

package import Foundation
package import PulseCore

extension PatrolInputs {
    /// The series the detectors read: disk and memory of nodes, guests and hosts, storage usage
    /// and Docker containers' memory.
    package static func seriesWanted(_ readings: [ResourceReading]) -> [SeriesKey] {
        var keys: [SeriesKey] = []
        for reading in readings {
            let type = reading.kind.rawValue
            switch reading.kind {
            case .node, .vm, .container, .host:
                if reading.values[.disk] != nil { keys.append(SeriesKey(resourceType: type, resourceId: reading.recordID, metric: "disk")) }
                if reading.values[.memory] != nil {
                    keys.append(SeriesKey(resourceType: type, resourceId: reading.recordID, metric: "memory"))
                }
            case .storage:
                keys.append(SeriesKey(resourceType: type, resourceId: reading.recordID, metric: "usage"))
            case .dockerHost:
                for container in reading.containers where container.state == "running" {
                    keys.append(SeriesKey(resourceType: "dockerContainer", resourceId: "\(reading.recordID)/\(container.id)", metric: "memory"))
                }
            case .pbs, .pmg, .kubernetesCluster:
                break
            }
        }
        return keys
    }

    /// The inputs of a run at `now`: the snapshot's readings, and `lookback` of history per
    /// wanted series from `store` (hourly points, the tier that keeps a week).
    package static func gather(
        snapshot: StateSnapshot, store: any MetricsStore, now: Date, lookback: TimeInterval, expectedAgentVersion: String?
    ) async throws -> PatrolInputs {
        var inputs = PatrolInputs(now: now)
        inputs.readings = snapshot.readings()
        for guest in snapshot.vms + snapshot.containers where guest.status == "running" && !guest.template {
            inputs.guestUptimes[guest.id] = guest.uptime
        }
        inputs.physicalDisks = snapshot.physicalDisks.map {
            DiskHealthReading(
                id: $0.id, name: $0.devPath.isEmpty ? $0.id : "\($0.node) \($0.devPath)", node: $0.node, health: $0.health,
                wearout: $0.wearout)
        }
        inputs.agents =
            snapshot.hosts.compactMap { host in
                host.agentVersion.map { AgentVersionReading(id: host.id, name: host.displayName, kind: "host", version: $0) }
            }
            + snapshot.dockerHosts.filter { !$0.hidden }.compactMap { host in
                host.agentVersion.map { AgentVersionReading(id: host.id, name: host.displayName, kind: "dockerHost", version: $0) }
            }
        inputs.expectedAgentVersion = expectedAgentVersion
        let end = Int64(now.timeIntervalSince1970)
        let start = end - Int64(lookback)
        for key in seriesWanted(inputs.readings) {
            let samples = try await store.history(key, from: start, to: end, tier: .hourly, limit: 500)
            guard !samples.isEmpty else { continue }
            inputs.history[key] = samples.map { HistoryPoint(time: TimeInterval($0.timestamp) / 1000, value: $0.value) }
        }
        return inputs
    }
}

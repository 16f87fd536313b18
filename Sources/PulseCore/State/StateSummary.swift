package import Foundation

/// The body of `GET /api/state/summary`, in Pulse v5.1's shape: counts for a status line or a
/// widget, without the whole state.
package struct StateSummary: Encodable, Sendable {
    package struct DockerHost: Encodable, Sendable {
        var name: String
        var containers: Int
        var uptimeSeconds: Int64
        var cpuUsagePercent: Double
    }

    var activeAlerts: Int
    var nodes: Int
    var vms: Int
    var containers: Int
    var dockerHosts: [DockerHost]
    /// When the state last changed.
    var lastUpdate: Date

    package init(_ snapshot: StateSnapshot) {
        activeAlerts = snapshot.activeAlerts.count
        nodes = snapshot.nodes.count
        vms = snapshot.vms.count
        containers = snapshot.containers.count
        dockerHosts = snapshot.dockerHosts.map { host in
            let name = [host.customDisplayName, host.displayName, host.hostname].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
                .first { !$0.isEmpty }
            return DockerHost(
                name: name ?? host.id, containers: host.containers.count, uptimeSeconds: host.uptimeSeconds,
                cpuUsagePercent: host.cpuUsagePercent)
        }
        lastUpdate = Date(timeIntervalSince1970: Double(snapshot.lastUpdate) / 1000)
    }
}

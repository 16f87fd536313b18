import AgentProtocol
package import Foundation

/// How long an agent may stay silent before it is shown offline.
///
/// Measured on the server's receive time, never the agent's clock (skewed clocks made Pulse v5
/// hosts flap). After a restart the silence is counted from boot, so a restarted server does not
/// declare every agent offline at once.
package enum OfflinePolicy {
    /// Host agents: six intervals, between 1 and 10 minutes (an unknown interval counts as 60 s).
    static func hostWindow(intervalSeconds: Int?) -> TimeInterval {
        let interval = Double((intervalSeconds ?? 0) > 0 ? intervalSeconds! : 60)
        return min(max(interval * 6, 60), 600)
    }

    /// Docker and Kubernetes agents: four intervals, between 30 s and 10 minutes.
    static func containerAgentWindow(intervalSeconds: Int) -> TimeInterval {
        min(max(Double(max(intervalSeconds, 0)) * 4, 30), 600)
    }

    package static func status(lastReceived: Date, window: TimeInterval, bootedAt: Date, now: Date) -> AgentStatus {
        now.timeIntervalSince(max(lastReceived, bootedAt)) <= window ? .online : .offline
    }
}

extension HostAgentRecord {
    package func status(bootedAt: Date, now: Date) -> AgentStatus {
        OfflinePolicy.status(
            lastReceived: receivedAt, window: OfflinePolicy.hostWindow(intervalSeconds: report.agent.intervalSeconds), bootedAt: bootedAt,
            now: now)
    }
}

extension DockerAgentRecord {
    package func status(bootedAt: Date, now: Date) -> AgentStatus {
        OfflinePolicy.status(
            lastReceived: receivedAt, window: OfflinePolicy.containerAgentWindow(intervalSeconds: report.agent.intervalSeconds),
            bootedAt: bootedAt, now: now)
    }
}

extension KubernetesAgentRecord {
    package func status(bootedAt: Date, now: Date) -> AgentStatus {
        OfflinePolicy.status(
            lastReceived: receivedAt, window: OfflinePolicy.containerAgentWindow(intervalSeconds: report.agent.intervalSeconds),
            bootedAt: bootedAt, now: now)
    }
}

extension OfflinePolicy {
    /// Every agent's status keyed like `connectionHealth` (`host-<id>`, `docker-<id>`, `kubernetes-<id>`).
    package static func statuses(
        hosts: [String: HostAgentRecord], dockerHosts: [String: DockerAgentRecord], kubernetesClusters: [String: KubernetesAgentRecord],
        bootedAt: Date, now: Date
    ) -> [String: AgentStatus] {
        var statuses: [String: AgentStatus] = [:]
        statuses.reserveCapacity(hosts.count + dockerHosts.count + kubernetesClusters.count)
        for record in hosts.values { statuses["host-\(record.id)"] = record.status(bootedAt: bootedAt, now: now) }
        for record in dockerHosts.values { statuses["docker-\(record.id)"] = record.status(bootedAt: bootedAt, now: now) }
        for record in kubernetesClusters.values { statuses["kubernetes-\(record.id)"] = record.status(bootedAt: bootedAt, now: now) }
        return statuses
    }
}

package import AgentProtocol
package import Foundation
import PulseSupport

/// What accepting a Docker report produced.
package struct DockerIngestOutcome: Sendable {
    package let hostID: String
    package let containers: Int
    package let lastSeen: Date
    /// At most one command for the agent to carry out.
    package let command: AgentCommand?
    /// True for the first report of a Docker host the server did not hold.
    package var isNew = false
}

/// What accepting a Kubernetes report produced.
package struct KubernetesIngestOutcome: Sendable {
    package let clusterID: String
    package let nodes: Int
    package let pods: Int
    package let deployments: Int
    package let lastSeen: Date
}

extension MonitoringState {
    /// Accepts a validated Docker report. A token used for Docker reports belongs to one agent.
    package func ingest(docker report: DockerReport, token: ReportingToken?, receivedAt: Date) throws -> DockerIngestOutcome {
        try checkTokenBinding(kind: .docker, token: token, agentID: report.agent.id)
        let id = resolveDockerID(for: report, token: token)
        if let block = removed[AgentRef(kind: .docker, id: id).key], block.blocks(at: receivedAt) {
            throw Self.removedError(kind: "Docker host", name: report.host.hostname, block: block)
        }
        let previous = dockerHosts[id]
        if let previous {
            try requireOwnership(of: previous.token, kind: "Docker host", id: id, by: token)
        } else {
            try requireRoomForNewRecord(token: token)
        }
        var record = DockerAgentRecord(id: id, report: report, receivedAt: receivedAt, token: token)
        if let previous {
            record.customDisplayName = previous.customDisplayName
            record.hidden = previous.hidden
            record.pendingUninstall = previous.pendingUninstall
            record.command = previous.command
            let isRepeat =
                previous.agentID == report.agent.id && !report.timestamp.isGoZeroTime
                && previous.report.timestamp == report.timestamp
            if isRepeat {
                return DockerIngestOutcome(
                    hostID: id, containers: report.containers.count, lastSeen: previous.receivedAt,
                    command: deliverCommand(to: id, at: receivedAt))
            }
            let elapsed = CounterRate.elapsed(
                previousReported: previous.report.timestamp, currentReported: report.timestamp,
                previousReceived: previous.receivedAt, currentReceived: receivedAt)
            record.blockIORates = CounterRate.blockIO(previous: previous.report.containers, current: report.containers, elapsed: elapsed)
            record.networkRates = CounterRate.network(
                previous: previous.report.host.network ?? [], current: report.host.network ?? [], elapsed: elapsed)
        }
        dockerHosts[id] = record
        knownStatus["docker-\(id)"] = .online
        pendingWrites.records.insert(AgentRef(kind: .docker, id: id))
        didChange()
        return DockerIngestOutcome(
            hostID: id, containers: report.containers.count, lastSeen: receivedAt, command: deliverCommand(to: id, at: receivedAt),
            isNew: previous == nil)
    }

    /// Accepts a validated Kubernetes report. A token used for Kubernetes reports belongs to one agent.
    package func ingest(kubernetes report: KubernetesReport, token: ReportingToken?, receivedAt: Date) throws -> KubernetesIngestOutcome {
        try checkTokenBinding(kind: .kubernetes, token: token, agentID: report.agent.id)
        let id = AgentIdentity.clusterID(report)
        if let block = removed[AgentRef(kind: .kubernetes, id: id).key], block.blocks(at: receivedAt) {
            throw Self.removedError(kind: "Kubernetes cluster", name: report.cluster.name ?? id, block: block)
        }
        let previous = kubernetesClusters[id]
        if let previous {
            try requireOwnership(of: previous.token, kind: "Kubernetes cluster", id: id, by: token)
        } else {
            try requireRoomForNewRecord(token: token)
        }
        let outcome = KubernetesIngestOutcome(
            clusterID: id, nodes: report.nodes?.count ?? 0, pods: report.pods?.count ?? 0,
            deployments: report.deployments?.count ?? 0, lastSeen: receivedAt)
        if let previous, previous.agentID == report.agent.id, !report.timestamp.isGoZeroTime,
            previous.report.timestamp == report.timestamp
        {
            return outcome
        }
        var record = KubernetesAgentRecord(id: id, report: report, receivedAt: receivedAt, token: token)
        record.customDisplayName = previous?.customDisplayName
        record.hidden = previous?.hidden ?? false
        record.pendingUninstall = previous?.pendingUninstall ?? false
        kubernetesClusters[id] = record
        knownStatus["kubernetes-\(id)"] = .online
        pendingWrites.records.insert(AgentRef(kind: .kubernetes, id: id))
        didChange()
        return outcome
    }

    /// Docker and Kubernetes tokens are bound to the first agent that used them: another agent
    /// presenting the same token is refused (tokens leak; one leaked token must not let a second
    /// agent overwrite the first one's data).
    func checkTokenBinding(kind: AgentKind, token: ReportingToken?, agentID: String) throws {
        guard let token, !agentID.isEmpty else { return }
        // Fast path for the steady state: this agent already reports with this token, and the
        // binding was checked when it first did, so no other agent can hold the token.
        if kind == .docker, let own = dockerHosts[agentID], own.agentID == agentID, own.token?.id == token.id { return }
        let holders: [String] =
            kind == .docker
            ? dockerHosts.values.filter { $0.token?.id == token.id }.map(\.agentID)
            : kubernetesClusters.values.filter { $0.token?.id == token.id }.map(\.agentID)
        if let other = holders.first(where: { !$0.isEmpty && $0 != agentID }) {
            throw DomainError(
                .invalid, code: .invalidReport,
                message: "API token is already in use by agent \(other); create a separate token for agent \(agentID)",
                details: ["field": "agent.id"])
        }
    }

    /// Pulse's Docker identity: reuse a host that matches the agent (same token), or machine ID
    /// and hostname; otherwise agent ID, machine ID or hostname, suffixed if another host has it.
    /// A machine ID and hostname match enrolled by another token resolves to that host, and
    /// `ingest` refuses it there (no silent takeover, no silent duplicate).
    func resolveDockerID(for report: DockerReport, token: ReportingToken?) -> String {
        let agentID = report.agent.id
        let machineID = report.host.machineId ?? ""
        let hostname = report.host.hostname
        // Steady state: the host is stored under its agent ID and reports with the same token.
        if !agentID.isEmpty, let own = dockerHosts[agentID], own.agentID == agentID, own.token?.id == token?.id {
            return agentID
        }
        if !agentID.isEmpty, let match = dockerHosts.values.first(where: { $0.agentID == agentID && $0.token?.id == token?.id }) {
            return match.id
        }
        if !machineID.isEmpty,
            let match = dockerHosts.values.first(where: {
                $0.report.host.machineId == machineID && $0.hostname.lowercased() == hostname.lowercased()
            })
        {
            return match.id
        }
        if token == nil,
            let match = dockerHosts.values.first(where: {
                $0.token == nil
                    && ((!machineID.isEmpty && $0.report.host.machineId == machineID) || $0.hostname.lowercased() == hostname.lowercased())
            })
        {
            return match.id
        }
        let base = [agentID, machineID, hostname].first { !$0.isEmpty } ?? "docker-host"
        for candidate in [base, "\(base)::agent-\(agentID)", "\(base)::host-\(hostname)"] where dockerHosts[candidate] == nil {
            return candidate
        }
        var counter = 2
        while dockerHosts["\(base)::\(counter)"] != nil { counter += 1 }
        return "\(base)::\(counter)"
    }

    /// The queued command for `hostID`, marked as sent, if one is waiting and not expired.
    private func deliverCommand(to hostID: String, at now: Date) -> AgentCommand? {
        guard var command = dockerHosts[hostID]?.command else { return nil }
        guard command.isDeliverable(at: now) else {
            if command.status == .queued || command.status == .sent, now >= command.expiresAt {
                command.status = .expired
                command.updatedAt = now
                dockerHosts[hostID]?.command = command
                dockerHosts[hostID]?.pendingUninstall = false
            }
            return nil
        }
        if command.status == .queued {
            command.status = .sent
            command.updatedAt = now
            dockerHosts[hostID]?.command = command
        }
        return AgentCommand(id: command.id, type: command.type)
    }
}

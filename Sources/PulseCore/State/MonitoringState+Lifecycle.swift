package import AgentProtocol
import Foundation
import PulseSupport

/// What `DELETE /api/agents/{docker/hosts,kubernetes/clusters}/{id}` did.
package enum AgentRemovalOutcome: Sendable, Equatable {
    /// Only hidden from views; reports keep arriving.
    case hidden
    /// The agent is online, so it was asked to stop itself first; removal follows its ack.
    case stopQueued(commandID: String)
    /// Removed and blocked for 24 hours; carries the token it reported with.
    case removed(token: ReportingToken?)
}

extension MonitoringState {
    /// Commands expire if no agent picks them up within this time.
    static let commandLifetime: TimeInterval = 600

    // MARK: Lookup

    /// Finds a host by ID, then by hostname or display name (case-insensitive), then by short name.
    package func lookupHost(id: String?, hostname: String?) -> (record: HostAgentRecord, status: AgentStatus)? {
        let now = time.now()
        if let id, !id.isEmpty, let record = hosts[id] { return (record, status(of: record, at: now)) }
        guard let wanted = (hostname ?? id)?.lowercased(), !wanted.isEmpty else { return nil }
        let sorted = hosts.values.sorted { $0.id < $1.id }
        let match =
            sorted.first { $0.hostname.lowercased() == wanted || $0.displayName.lowercased() == wanted }
            ?? sorted.first { AgentIdentity.shortName($0.hostname) == AgentIdentity.shortName(wanted) }
        return match.map { ($0, status(of: $0, at: now)) }
    }

    // MARK: Removal

    /// Removes a host agent's machine and blocks its agent for 24 hours; returns its record.
    package func removeHost(id: String) -> HostAgentRecord? {
        guard let record = hosts.removeValue(forKey: id) else { return nil }
        hostControls[id] = nil
        hostBindings = hostBindings.filter { $0.value != id }
        block(AgentRef(kind: .host, id: id), hostname: record.hostname, displayName: record.displayName, agentID: record.report.agent.id)
        return record
    }

    /// Hides, asks to stop, or removes a Docker host (Pulse's `hide`/`force` semantics).
    package func removeDockerHost(id: String, hide: Bool, force: Bool) -> AgentRemovalOutcome? {
        guard var record = dockerHosts[id] else { return nil }
        let now = time.now()
        if hide {
            record.hidden = true
            store(record)
            return .hidden
        }
        if !force, status(of: record, at: now) == .online {
            let command = QueuedCommand(
                id: UUID().uuidString.lowercased(), type: .stop, status: .queued, createdAt: now, updatedAt: now,
                expiresAt: now.addingTimeInterval(Self.commandLifetime))
            record.command = command
            record.pendingUninstall = true
            store(record)
            return .stopQueued(commandID: command.id)
        }
        dockerHosts[id] = nil
        block(AgentRef(kind: .docker, id: id), hostname: record.hostname, displayName: record.displayName, agentID: record.agentID)
        return .removed(token: record.token)
    }

    /// Hides or removes a Kubernetes cluster. Kubernetes replies carry no commands, so removal is immediate.
    package func removeKubernetesCluster(id: String, hide: Bool) -> AgentRemovalOutcome? {
        guard var record = kubernetesClusters[id] else { return nil }
        if hide {
            record.hidden = true
            kubernetesClusters[id] = record
            markDirty(.kubernetes, id)
            return .hidden
        }
        kubernetesClusters[id] = nil
        block(AgentRef(kind: .kubernetes, id: id), hostname: record.report.cluster.server, displayName: record.displayName, agentID: record.agentID)
        return .removed(token: record.token)
    }

    /// Lifts the 24-hour block on a removed resource; false if there was none.
    package func allowReenroll(_ kind: AgentKind, id: String) -> Bool {
        let ref = AgentRef(kind: kind, id: id)
        guard removed.removeValue(forKey: ref.key) != nil else { return false }
        pendingWrites.removed.insert(ref)
        didChange()
        return true
    }

    // MARK: Flags and names

    /// Sets (or with nil clears) the name shown instead of the reported one; false if unknown.
    package func setDisplayName(_ kind: AgentKind, id: String, to name: String?) -> Bool {
        let name = name.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        switch kind {
        case .host:
            guard hosts[id] != nil else { return false }
            hosts[id]?.customDisplayName = name
        case .docker:
            guard dockerHosts[id] != nil else { return false }
            dockerHosts[id]?.customDisplayName = name
        case .kubernetes:
            guard kubernetesClusters[id] != nil else { return false }
            kubernetesClusters[id]?.customDisplayName = name
        }
        markDirty(kind, id)
        return true
    }

    /// Sets the hidden flag of a Docker host or cluster; false if unknown.
    package func setHidden(_ kind: AgentKind, id: String, _ hidden: Bool) -> Bool {
        switch kind {
        case .docker where dockerHosts[id] != nil: dockerHosts[id]?.hidden = hidden
        case .kubernetes where kubernetesClusters[id] != nil: kubernetesClusters[id]?.hidden = hidden
        default: return false
        }
        markDirty(kind, id)
        return true
    }

    /// Marks a Docker host or cluster as being uninstalled (set by the UI while it runs the uninstaller).
    package func setPendingUninstall(_ kind: AgentKind, id: String, _ pending: Bool) -> Bool {
        switch kind {
        case .docker where dockerHosts[id] != nil: dockerHosts[id]?.pendingUninstall = pending
        case .kubernetes where kubernetesClusters[id] != nil: kubernetesClusters[id]?.pendingUninstall = pending
        default: return false
        }
        markDirty(kind, id)
        return true
    }

    // MARK: Command acknowledgement

    /// Applies an agent's acknowledgement of command `commandID`. A completed `stop` removes the
    /// host and blocks it, as a forced removal would.
    package func acknowledgeCommand(_ commandID: String, ack: CommandAck, token: ReportingToken?) throws
        -> (hostID: String, command: QueuedCommand, removedToken: ReportingToken?)
    {
        guard let record = dockerHosts.values.first(where: { $0.command?.id == commandID }),
            var command = record.command
        else {
            throw DomainError.notFound("No pending command with id \(commandID)")
        }
        if !ack.hostId.isEmpty, ack.hostId != record.id {
            throw DomainError.invalid("Command \(commandID) belongs to host \(record.id), not \(ack.hostId)", field: "hostId")
        }
        if let token, let owner = record.token, owner.id != token.id {
            throw DomainError(.forbidden, code: .forbidden, message: "Command \(commandID) was issued to another agent's token")
        }
        let now = time.now()
        command.status = QueuedCommand.Status(ack.status)
        command.message = ack.message
        command.updatedAt = now
        if command.type == .stop, command.status == .completed {
            dockerHosts[record.id] = nil
            block(AgentRef(kind: .docker, id: record.id), hostname: record.hostname, displayName: record.displayName, agentID: record.agentID)
            return (record.id, command, record.token)
        }
        var updated = record
        updated.command = command
        if command.status == .failed { updated.pendingUninstall = false }
        store(updated)
        return (record.id, command, nil)
    }

    /// Whether any remaining record still reports with token `tokenID`.
    package func isTokenInUse(_ tokenID: String) -> Bool {
        hosts.values.contains { $0.token?.id == tokenID } || dockerHosts.values.contains { $0.token?.id == tokenID }
            || kubernetesClusters.values.contains { $0.token?.id == tokenID }
    }

    // MARK: Helpers

    private func store(_ record: DockerAgentRecord) {
        dockerHosts[record.id] = record
        markDirty(.docker, record.id)
    }

    func markDirty(_ kind: AgentKind, _ id: String) {
        pendingWrites.records.insert(AgentRef(kind: kind, id: id))
        didChange()
    }

    private func block(_ ref: AgentRef, hostname: String?, displayName: String?, agentID: String?) {
        let now = time.now()
        removed[ref.key] = RemovedAgent(
            kind: ref.kind, id: ref.id, hostname: hostname, displayName: displayName, agentID: agentID,
            removedAt: now, blockedUntil: now.addingTimeInterval(RemovedAgent.blockDuration))
        knownStatus["\(ref.kind.rawValue)-\(ref.id)"] = nil
        pendingWrites.records.insert(ref)
        pendingWrites.removed.insert(ref)
        didChange()
    }
}

extension QueuedCommand.Status {
    package init(_ ack: CommandAckStatus) {
        switch ack {
        case .acknowledged: self = .acknowledged
        case .inProgress: self = .inProgress
        case .completed: self = .completed
        case .failed: self = .failed
        }
    }
}

import AgentProtocol
import Foundation

/// Records fed by demo mode (`POST /api/system/mock-mode`, `PULSE_MOCK_MODE`).
///
/// Demo mode reports through the same ingest as agents, each generated agent with a token of its
/// own (a Docker or Kubernetes token belongs to one agent): `demo-mode:<agent ID>`. Real tokens'
/// IDs are UUIDs, so the prefix marks demo records beyond doubt. Owning their records that way,
/// demo agents cannot overwrite a real agent's record nor a real agent theirs (`identity_conflict`).
/// Demo records are never written to the database and are removed together, without a removal block.
extension ReportingToken {
    static let demoModePrefix = "demo-mode:"

    /// The token demo mode reports `agentID`'s data with.
    package static func demoMode(agentID: String) -> ReportingToken {
        ReportingToken(
            id: demoModePrefix + agentID, name: "Demo mode", hint: "demo", scopes: [.hostAgentReport, .dockerReport, .kubernetesReport])
    }

    /// Whether this token is one of demo mode's.
    package var isDemoMode: Bool { id.hasPrefix(Self.demoModePrefix) }
}

extension MonitoringState {
    /// Removes every agent record a demo token owns, and the removal blocks of `blocked` (demo
    /// records an administrator removed meanwhile). Nothing else is touched; returns what was removed.
    @discardableResult
    package func removeDemoRecords(unblocking blocked: Set<AgentRef> = []) -> [AgentRef] {
        var gone: [AgentRef] = []
        for (id, record) in hosts where record.token?.isDemoMode == true {
            hosts[id] = nil
            gone.append(AgentRef(kind: .host, id: id))
        }
        for (id, record) in dockerHosts where record.token?.isDemoMode == true {
            dockerHosts[id] = nil
            gone.append(AgentRef(kind: .docker, id: id))
        }
        for (id, record) in kubernetesClusters where record.token?.isDemoMode == true {
            kubernetesClusters[id] = nil
            gone.append(AgentRef(kind: .kubernetes, id: id))
        }
        hostBindings = hostBindings.filter { !$0.key.hasPrefix(ReportingToken.demoModePrefix) }
        for ref in gone {
            knownStatus["\(ref.kind.rawValue)-\(ref.id)"] = nil
            // Never written; a pending entry would only write a deletion.
            pendingWrites.records.remove(ref)
            pendingWrites.writtenAt[ref] = nil
        }
        var unblocked = false
        for ref in blocked where removed.removeValue(forKey: ref.key) != nil {
            pendingWrites.removed.insert(ref)
            unblocked = true
        }
        if !gone.isEmpty || unblocked { didChange() }
        return gone
    }
}

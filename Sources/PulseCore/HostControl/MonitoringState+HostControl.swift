package import AgentProtocol
import PulseSupport

extension MonitoringState {
    /// Replaces every held control with what was stored (at start).
    package func loadHostControls(_ controls: [String: HostAgentControl]) {
        hostControls = controls
        learnNodeLinks()
        didChange()
    }

    /// What is held for host `id` (an empty control when nothing is), or nil when no such host reports.
    package func hostControl(id: String) -> HostAgentControl? {
        guard hosts[id] != nil else { return nil }
        return hostControls[id] ?? HostAgentControl()
    }

    /// The token that created host `id`, or nil when none did (or there is no such host).
    package func hostOwner(id: String) -> ReportingToken? { hosts[id]?.token }

    /// Holds `control` for host `id` (already stored by the caller); false when no such host reports.
    @discardableResult
    package func setHostControl(_ control: HostAgentControl, id: String) -> Bool {
        guard hosts[id] != nil else { return false }
        let linkChanged = hostControls[id]?.link != control.link
        hostControls[id] = control.isEmpty ? nil : control
        if linkChanged { learnNodeLinks() }
        didChange()
        return true
    }

    /// The node each host was linked to by hand or `.unlinked`, by host ID.
    var linkOverrides: [String: HostLinkOverride] { hostControls.compactMapValues(\.link) }

    /// What a report reply tells host `id`, or nil when nothing is held.
    func agentConfig(ofHost id: String) -> HostAgentConfig? {
        guard let config = hostControls[id]?.agentConfig, !config.isEmpty else { return nil }
        return config
    }

    /// Whether a PVE node with this ID is being polled.
    package func hasNode(id: String) -> Bool {
        pveInstances.values.contains { $0.inventory.nodes.contains { $0.id == id } }
    }
}

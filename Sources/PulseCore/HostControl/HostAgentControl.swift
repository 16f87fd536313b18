package import AgentProtocol

/// What the server holds for one host agent besides its reports: the settings it pushes, a
/// manual link to a Proxmox node, and whether the agent was asked to uninstall itself.
/// Stored per host (`HostAgentControlTable`) and kept in `MonitoringState.hostControls`.
package struct HostAgentControl: Codable, Sendable, Equatable {
    /// Settings the agent applies without a restart; empty when the server holds none.
    package var settings = HostAgentSettings()
    /// Pulse's `commandsEnabled` override; nil leaves the agent's own choice.
    package var commandsEnabled: Bool?
    /// How an administrator overrode the automatic host ↔ node link; nil: automatic.
    package var link: HostLinkOverride?
    /// Set by `POST /api/agents/host/uninstall` for an online agent: the next report's reply
    /// asks it to remove itself.
    package var uninstallRequested = false

    package init(
        settings: HostAgentSettings = HostAgentSettings(), commandsEnabled: Bool? = nil, link: HostLinkOverride? = nil,
        uninstallRequested: Bool = false
    ) {
        self.settings = settings
        self.commandsEnabled = commandsEnabled
        self.link = link
        self.uninstallRequested = uninstallRequested
    }

    /// True when nothing is held (the stored row can go).
    package var isEmpty: Bool { self == HostAgentControl() }

    /// What the agent is told: in the report reply and in `GET …/config`.
    package var agentConfig: HostAgentConfig {
        HostAgentConfig(
            commandsEnabled: commandsEnabled, settings: settings.isEmpty ? nil : settings, uninstall: uninstallRequested ? true : nil)
    }
}

/// An administrator's choice for a host's link to a Proxmox node, over `ProxmoxHostLinker`'s.
package enum HostLinkOverride: Codable, Sendable, Equatable {
    /// Linked to this node ID whatever the automatic rules say.
    case node(String)
    /// Never linked to a node (nor a guest).
    case unlinked
}

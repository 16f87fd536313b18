import AgentProtocol
package import Alerting
import Hummingbird
package import ProxmoxPolling
package import PulseCore

/// `GET /api/config`: the configuration in one reply, every secret removed — the Proxmox
/// instances as `/api/config/nodes` shows them (whether a password or token is set, never its
/// value), the system settings with `envOverrides`, and the alert configuration.
package struct ConfigSummaryRoutes {
    package let store: ProxmoxInstanceStore
    package let state: MonitoringState
    package let alerts: AlertEngine
    package let settings: LiveSettings

    package init(store: ProxmoxInstanceStore, state: MonitoringState, alerts: AlertEngine, settings: LiveSettings) {
        self.store = store
        self.state = state
        self.alerts = alerts
        self.settings = settings
    }

    package struct Summary: Encodable, Sendable {
        let nodes: Nodes
        let system: SystemSettingsRoutes.Reply
        let alerts: AlertConfiguration
    }

    package struct Nodes: Encodable, Sendable {
        let pveInstances: [ProxmoxConfigRoutes.InstanceView]
        let pbsInstances: [ProxmoxConfigRoutes.InstanceView]
        let pmgInstances: [ProxmoxConfigRoutes.InstanceView]
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/config", access: .scope(.settingsRead)) { _, _ in JSONResponse(await summary()) }
    }

    /// The configuration without secrets, as `GET /api/config` and the diagnostics show it.
    package func summary() async -> Summary {
        var views: [ProxmoxConfigRoutes.InstanceView] = []
        for target in await store.all() {
            views.append(.init(target, healthy: await state.proxmoxHealth(instanceID: target.instance.id)))
        }
        let nodes = Nodes(
            pveInstances: views.filter { $0.type == "pve" }, pbsInstances: views.filter { $0.type == "pbs" },
            pmgInstances: views.filter { $0.type == "pmg" })
        return Summary(
            nodes: nodes, system: SystemSettingsRoutes.Reply(settings: settings.current, locked: settings.locked),
            alerts: await alerts.configuration)
    }
}

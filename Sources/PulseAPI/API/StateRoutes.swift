import AgentProtocol
import Hummingbird
package import PulseCore

/// `GET /api/state`: the whole merged state, for dashboards and scripts; `GET /api/state/summary`:
/// its counts.
package struct StateRoutes {
    package let state: MonitoringState

    package func register(on routes: ScopedRouter) {
        routes.get("/api/state", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.snapshot())
        }
        routes.get("/api/state/summary", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(StateSummary(await state.snapshot()))
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState) {
        self.state = state
    }
}

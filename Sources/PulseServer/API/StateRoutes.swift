import Hummingbird

/// `GET /api/state`: the whole merged state, for dashboards and scripts.
struct StateRoutes {
    let state: MonitoringState

    func register(on routes: ScopedRouter) {
        routes.get("/api/state", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.snapshot())
        }
    }
}

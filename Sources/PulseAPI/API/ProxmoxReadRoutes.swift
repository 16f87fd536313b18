import AgentProtocol
import Hummingbird
package import ProxmoxPolling
package import PulseCore

/// Read endpoints over the polled Proxmox data: storage, backups, snapshots, scheduler health.
package struct ProxmoxReadRoutes {
    package let state: MonitoringState
    package let schedulerHealth: SchedulerHealth

    package struct UnifiedBackups: Encodable, Sendable {
        package var backupTasks: [BackupTaskView]
        package var storageBackups: [StorageBackupView]
        package var guestSnapshots: [GuestSnapshotView]
        package var pbsBackups: [PBSBackupView]
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/monitoring/scheduler/health", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await schedulerHealth.snapshot())
        }
        // Also answers `/api/storage/` (the seeds' spelling): the router ignores a trailing slash.
        routes.get("/api/storage", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.snapshot().storage)
        }
        // One node's storage by node ID (`<instance>-<node>`), or one storage by its own ID.
        routes.get("/api/storage/{id}", access: .scope(.monitoringRead)) { _, context in
            let id = try context.parameters.require("id")
            let storage = await state.snapshot().storage
            if let one = storage.first(where: { $0.id == id }) { return JSONResponse([one]) }
            let onNode = storage.filter { "\($0.instance)-\($0.node)" == id }
            guard !onNode.isEmpty else { throw APIError.notFound("No node or storage with id \(id)") }
            return JSONResponse(onNode)
        }
        for path in ["/api/backups", "/api/backups/unified"] {
            routes.get(path, access: .scope(.monitoringRead)) { _, _ in
                let snapshot = await state.snapshot()
                let backups = snapshot.pveBackups
                return JSONResponse(
                    UnifiedBackups(
                        backupTasks: backups.backupTasks, storageBackups: backups.storageBackups,
                        guestSnapshots: backups.guestSnapshots, pbsBackups: snapshot.pbsBackups))
            }
        }
        routes.get("/api/backups/pve", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.snapshot().pveBackups)
        }
        routes.get("/api/backups/pbs", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.snapshot().pbsBackups)
        }
        routes.get("/api/snapshots", access: .scope(.monitoringRead)) { _, _ in
            JSONResponse(await state.snapshot().pveBackups.guestSnapshots)
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState, schedulerHealth: SchedulerHealth) {
        self.state = state
        self.schedulerHealth = schedulerHealth
    }
}

import Logging
import PulseCore
import PulseSupport
import ServiceLifecycle

/// Re-evaluates which agents are online every `interval`, so status changes reach live clients
/// (and, later, alerts) even when no report arrives to trigger them.
struct OfflineDetectionService: Service {
    let state: MonitoringState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            let transitions = await state.evaluateStatuses()
            for (key, status) in transitions.sorted(by: { $0.key < $1.key }) {
                logger.notice("agent status changed", metadata: ["agent": .string(key), "status": .string(status.rawValue)])
            }
        }
    }
}

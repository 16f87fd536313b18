import Foundation
import Logging
import PulseAPI
import ServiceLifecycle
import Synchronization

/// `pulse`'s restart after an update or rollback. The request ends `RestartWatch`, which takes
/// the whole server down gracefully; `PulseCommand` then completes the plan offline and hands
/// over to the binary now in place (`handOver`). Tests read `plan` instead of restarting.
final class ServerRestart: ServerRestarter {
    private let requested = Mutex<RestartPlan?>(nil)
    private let requests: AsyncStream<Void>
    private let notify: AsyncStream<Void>.Continuation

    init() {
        (requests, notify) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The first plan asked for; later ones are ignored (the server is already on its way down).
    func requestRestart(_ plan: RestartPlan) {
        requested.withLock { current in if current == nil { current = plan } }
        notify.yield()
    }

    var plan: RestartPlan? { requested.withLock { $0 } }

    /// Returns once a restart is asked for (and on graceful shutdown); run it with
    /// `successTerminationBehavior: .gracefullyShutdownGroup`.
    struct Watch: Service {
        let restart: ServerRestart

        func run() async {
            let requests = restart.requests
            await cancelWhenGracefulShutdown {
                for await _ in requests { return }
            }
        }
    }

    var watch: Watch { Watch(restart: self) }

    /// Starts the new binary: under systemd by exiting with a status every `Restart=` policy but
    /// `no` restarts on (75, EX_TEMPFAIL); otherwise by replacing this process with it, same
    /// arguments and environment (`execv`). Returns only when `execv` fails.
    static func handOver(_ plan: RestartPlan, deployment: DeploymentKind, logger: Logger) {
        if deployment == .systemd {
            logger.notice("exiting for systemd to start the new binary", metadata: ["binary": .string(plan.binaryPath)])
            exit(75)
        }
        logger.notice("starting the new binary in place", metadata: ["binary": .string(plan.binaryPath)])
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv(plan.binaryPath, arguments)
        logger.critical("cannot start \(plan.binaryPath): \(String(cString: strerror(errno)))")
    }
}

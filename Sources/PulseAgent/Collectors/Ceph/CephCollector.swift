import AgentProtocol
import Logging
import SystemCommand

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Ceph cluster status from the `ceph` CLI (`ceph status` and `ceph df`, JSON), on hosts that
/// have the CLI and a cluster configuration; refreshed at most every `refreshInterval`.
///
/// Anything short of a usable answer (no keyring, monitors unreachable, a timeout) means no
/// `ceph` object in the report and one log line; never a failed report.
actor CephCollector {
    /// Runs `ceph` with arguments; injectable so tests can feed recorded outputs.
    typealias Runner = @Sendable ([String]) async throws -> Command.Result

    private let runner: Runner?
    let refreshInterval: Duration
    private let logger: Logger
    private var cached: CephCluster?
    private var lastRead: ContinuousClock.Instant?
    /// Why there is no Ceph data, for `--self-test`; nil while it works or when not applicable.
    private(set) var problem: String?

    init(runner: Runner?, refreshInterval: Duration = .seconds(30), logger: Logger = Logger(label: "pulse-agent.ceph")) {
        self.runner = runner
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    /// The CLI at its usual place, used only when this host has a cluster configuration (so a
    /// machine with just ceph-common installed does not wait for monitors at every report).
    static func system(root: SystemRoot = .live, logger: Logger = Logger(label: "pulse-agent.ceph")) -> CephCollector {
        guard let ceph = Command.find("ceph"), root.read("/etc/ceph/ceph.conf") != nil || root.read("/etc/pve/ceph.conf") != nil else {
            return CephCollector(runner: nil, logger: logger)
        }
        return CephCollector(runner: { arguments in try await Command.run(ceph, arguments, timeout: .seconds(10)) }, logger: logger)
    }

    var isApplicable: Bool { runner != nil }

    func read() async -> CephCluster? {
        guard let runner else { return nil }
        if let lastRead, ContinuousClock.now - lastRead < refreshInterval { return cached }
        lastRead = .now
        do {
            let status = try await runner(["status", "--format", "json"])
            guard status.status == 0 else {
                throw Command.Failure(description: "ceph status exited with \(status.status): \(status.text.prefix(200))")
            }
            let parsed = try AgentJSONDecoder().decode(CephStatusOutput.self, from: status.output)
            let df = try? await runner(["df", "--format", "json"])
            let pools = df.flatMap { $0.status == 0 ? try? AgentJSONDecoder().decode(CephDFOutput.self, from: $0.output) : nil }
            guard let cluster = CephCluster(status: parsed, df: pools, collectedAt: Date()) else {
                throw Command.Failure(description: "ceph status named no cluster (no fsid)")
            }
            if problem != nil { logger.info("Ceph status available again") }
            problem = nil
            cached = cluster
        } catch {
            if problem == nil { logger.notice("Ceph status unavailable", metadata: ["reason": .string("\(error)")]) }
            problem = "\(error)"
            cached = nil
        }
        return cached
    }
}

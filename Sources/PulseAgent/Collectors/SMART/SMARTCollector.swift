import AgentProtocol
import Logging
import SystemCommand

/// S.M.A.R.T. data of every disk smartctl can open, refreshed at most every `refreshInterval`
/// (spawning smartctl per disk each cycle would cost more than the rest of the report).
///
/// A missing smartctl, or one that cannot open devices (not root), means no SMART data and one
/// log line; never an error in the report.
actor SMARTCollector {
    let smartctl: String?
    let refreshInterval: Duration
    private let logger: Logger
    private var cached: [SMARTDisk] = []
    private var lastRead: ContinuousClock.Instant?
    /// Why SMART data is missing, for `--self-test`.
    private(set) var problem: String?

    init(smartctl: String? = Command.find("smartctl"), refreshInterval: Duration = .seconds(300), logger: Logger = Logger(label: "pulse-agent.smart"))
    {
        self.smartctl = smartctl
        self.refreshInterval = refreshInterval
        self.logger = logger
        if smartctl == nil { problem = "smartctl is not installed (smartmontools)" }
    }

    func read() async -> [SMARTDisk] {
        guard let smartctl else { return [] }
        if let lastRead, ContinuousClock.now - lastRead < refreshInterval { return cached }
        lastRead = .now
        do {
            let scan = try await Command.run(smartctl, ["--scan-open", "--json=o"])
            let devices = (try? AgentJSONDecoder().decode(SmartctlScan.self, from: scan.output))?.devices ?? []
            var disks: [SMARTDisk] = []
            for device in devices {
                var arguments = ["-n", "standby,3", "-i", "-A", "-H", "--json=o"]
                if let type = device.type { arguments += ["-d", type] }
                let result = try await Command.run(smartctl, arguments + [device.name])
                guard let output = try? AgentJSONDecoder().decode(SmartctlOutput.self, from: result.output),
                    let disk = output.disk(standby: result.status == 3)
                else {
                    logger.debug(
                        "smartctl gave no usable output", metadata: ["device": .string(device.name), "status": .stringConvertible(result.status)])
                    continue
                }
                disks.append(disk)
            }
            cached = disks
            if devices.isEmpty && problem == nil {
                problem = "smartctl found no devices it can open (not root, or no SMART-capable disks)"
                logger.notice("no SMART data", metadata: ["reason": .string(problem!)])
            }
        } catch {
            if problem == nil { logger.notice("SMART unavailable", metadata: ["reason": .string("\(error)")]) }
            problem = "\(error)"
        }
        return cached
    }
}

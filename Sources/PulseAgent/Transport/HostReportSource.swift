import AgentProtocol
import Logging

/// Host metrics: the host collector's report, and what the server's replies ask of the agent.
///
/// With `settings`, each report is collected with the disk and sensor globs in force and says
/// what the agent applied (`agent.appliedSettings`); each reply's `config` is applied for the
/// next cycle, and `config.uninstall` runs `uninstaller` and ends the agent.
struct HostReportSource: ReportSource {
    let collector: HostCollector
    var settings: RemoteSettings? = nil
    /// Asks for the settings while host reports are off (`GET /api/agents/host/{id}/config`).
    var sender: ReportSender? = nil
    var uninstaller: AgentUninstaller? = nil
    var logger = Logger(label: "pulse-agent")
    var kind: ReportKind { .host }

    func nextReport() async throws -> [UInt8] {
        guard let settings else { return try AgentJSONEncoder().encode(try await collector.collect()) }
        let applied = settings.effective
        await collector.apply(diskExclude: applied.diskExclude ?? [], sensors: settings.sensorSelection)
        var report = try await collector.collect()
        report.agent.intervalSeconds = applied.intervalSeconds
        report.agent.appliedSettings = applied
        return try AgentJSONEncoder().encode(report)
    }

    func accepted(reply: [UInt8]) async -> ReportSourceDecision {
        guard settings != nil, let decoded = try? AgentJSONDecoder().decode(HostReportReply.self, from: reply) else { return .keepReporting }
        return await follow(decoded.config, hostID: decoded.hostId)
    }

    func whileDisabled() async -> ReportSourceDecision {
        guard let sender, let hostID = settings?.hostID else { return .keepReporting }
        switch await sender.get(AgentPaths.hostConfig(hostID: hostID)) {
        case .delivered(let body):
            guard let reply = try? AgentJSONDecoder().decode(HostConfigReply.self, from: body) else { return .keepReporting }
            return await follow(reply.config, hostID: hostID)
        case .rejected(let status, let message):
            logger.warning(
                "cannot fetch the server's settings while host reports are off",
                metadata: ["status": .stringConvertible(status), "reply": .string(message)])
        case .retryLater: break
        }
        return .keepReporting
    }

    /// Applies what the server said; stops the agent when it asks for an uninstall.
    func follow(_ config: HostAgentConfig?, hostID: String) async -> ReportSourceDecision {
        guard let settings else { return .keepReporting }
        if !hostID.isEmpty { settings.hostID = hostID }
        if settings.apply(config?.settings) {
            let applied = settings.effective
            logger.notice(
                "applied the server's settings",
                metadata: [
                    "interval": .stringConvertible(applied.intervalSeconds ?? 0), "host": .stringConvertible(applied.enableHost ?? true),
                    "docker": .stringConvertible(applied.enableDocker ?? false),
                    "kubernetes": .stringConvertible(applied.enableKubernetes ?? false),
                ])
        }
        guard config?.uninstall == true else { return .keepReporting }
        guard let uninstaller else {
            logger.error("the server asked for an uninstall, but this agent cannot find its own files; uninstall it by hand")
            return .keepReporting
        }
        await uninstaller.uninstall(hostID: hostID)
        return .stopReporting(reason: "the server asked this agent to uninstall itself")
    }
}

/// The body of `GET /api/agents/host/{id}/config`.
struct HostConfigReply: Decodable {
    var config: HostAgentConfig?
}

import AgentProtocol
import Logging

/// The Docker module's reports, and the server's answers to them: a `stop` command (the host
/// was removed in Pulse) is acknowledged as completed and ends Docker reporting; so does a
/// refusal saying the host was removed. Host reporting carries on either way. A `check_updates`
/// command makes every image's update check due at once (the results come with a later report).
struct DockerReportSource: ReportSource {
    let collector: DockerCollector
    let sender: ReportSender
    let logger: Logger

    var kind: ReportKind { .docker }

    func nextReport() async throws -> [UInt8] {
        try AgentJSONEncoder().encode(try await collector.collect())
    }

    func accepted(reply: [UInt8]) async -> ReportSourceDecision {
        guard let decoded = try? AgentJSONDecoder().decode(DockerReportReply.self, from: reply) else { return .keepReporting }
        for command in decoded.commands ?? [] {
            if command.type == .checkUpdates, let imageUpdates = collector.imageUpdates {
                await imageUpdates.checkNow()
                await acknowledge(command, hostID: decoded.hostId, status: .completed, message: "image update check started")
                continue
            }
            guard command.type == .stop else {
                logger.warning("ignoring a command this agent does not support", metadata: ["type": .string(command.type.rawValue)])
                await acknowledge(command, hostID: decoded.hostId, status: .failed, message: "unsupported command")
                continue
            }
            await acknowledge(command, hostID: decoded.hostId, status: .completed, message: "Docker reporting stopped")
            return .stopReporting(reason: "stop command \(command.id)")
        }
        return .keepReporting
    }

    func rejected(status: Int, message: String) async -> ReportSourceDecision {
        .afterRejection(status: status, message: message, removed: "the Docker host was removed in Pulse")
    }

    private func acknowledge(_ command: AgentCommand, hostID: String, status: CommandAckStatus, message: String) async {
        guard let body = try? AgentJSONEncoder().encode(CommandAck(hostId: hostID, status: status, message: message)) else { return }
        let outcome = await sender.post(AgentPaths.dockerCommandAck(commandID: command.id), body: Array(body))
        if case .delivered = outcome {
            logger.info("command acknowledged", metadata: ["command": .string(command.id), "status": .string(status.rawValue)])
        } else {
            logger.warning("could not acknowledge a command", metadata: ["command": .string(command.id), "outcome": "\(outcome)"])
        }
    }
}

import AgentProtocol
import Foundation
import Hummingbird
import Logging
package import PulseCore
package import PulseSupport

/// `POST /api/agents/{host,docker,kubernetes}/report` and the Docker command acknowledgement:
/// the one ingest path for agent data.
///
/// Each report is size-limited, decoded with the wire contract's tolerant decoder (a Docker
/// report's unchanged containers taken over from the same token's previous report), validated,
/// then handed to `MonitoringState`. A rejected report changes nothing for any other agent. Only
/// a few reports are decoded and applied at a time (`gate`): a burst of agents then holds their
/// bodies, not a decoded report each waiting for the state. Bodies are collected before the
/// gate, so a client sending slowly holds no place.
package struct AgentReportRoutes {
    package let state: MonitoringState
    package let time: any TimeSource
    /// Reports decoded and applied at once; the others wait with their body collected.
    package let gate: ConcurrencyGate
    /// Each Docker token's last accepted containers, so unchanged ones are not decoded again.
    package let containerReuse: ContainerReuseCache

    package func register(on routes: ScopedRouter) {
        routes.post(AgentPaths.hostReport, access: .scope(.hostAgentReport)) { request, context in
            var request = request
            let body = try await request.collectJSONBody(limit: ReportLimits.hostReportBytes)
            return try await gate.run {
                let report = try ReportValidation.validated(try JSONBody.decode(HostReport.self, from: body, decoder: AgentJSONDecoder()))
                let outcome = try await state.ingest(
                    host: report, token: context.authentication.token.map(ReportingToken.init), receivedAt: time.now())
                if outcome.isNew {
                    context.logger.notice(
                        "new host agent reporting",
                        metadata: ["hostID": .string(outcome.hostID), "hostname": .string(report.host.hostname)])
                }
                return WrittenJSONResponse(
                    HostReportReply(
                        success: true, hostId: outcome.hostID, lastSeen: outcome.lastSeen, platform: report.host.platform,
                        osName: report.host.osName, osVersion: report.host.osVersion, config: outcome.config))
            }
        }

        routes.post(AgentPaths.dockerReport, access: .scope(.dockerReport)) { request, context in
            var request = request
            let body = try await request.collectJSONBody(limit: ReportLimits.dockerReportBytes)
            return try await gate.run {
                let tokenID = context.authentication.token?.id
                var (report, digests) = try JSONBody.decodeDockerReport(
                    body, reusing: tokenID.map { containerReuse.previous(forToken: $0) } ?? ContainerReuse())
                try state.limits.check(report)
                try ReportValidation.validate(&report)
                let now = time.now()
                let outcome = try await state.ingest(
                    docker: report, token: context.authentication.token.map(ReportingToken.init), receivedAt: now)
                if outcome.isNew {
                    context.logger.notice(
                        "new Docker agent reporting",
                        metadata: ["hostID": .string(outcome.hostID), "hostname": .string(report.host.hostname)])
                }
                if let tokenID, let reuse = ContainerReuse(containers: report.containers, digests: digests) {
                    containerReuse.store(reuse, forToken: tokenID, at: now)
                }
                return WrittenJSONResponse(
                    DockerReportReply(
                        success: true, hostId: outcome.hostID, containers: outcome.containers, lastSeen: outcome.lastSeen,
                        commands: outcome.command.map { [$0] }))
            }
        }

        routes.post(AgentPaths.kubernetesReport, access: .scope(.kubernetesReport)) { request, context in
            var request = request
            let body = try await request.collectJSONBody(limit: ReportLimits.kubernetesReportBytes)
            return try await gate.run {
                let report = try ReportValidation.validated(
                    try JSONBody.decode(KubernetesReport.self, from: body, decoder: AgentJSONDecoder()))
                try state.limits.check(report)
                let outcome = try await state.ingest(
                    kubernetes: report, token: context.authentication.token.map(ReportingToken.init), receivedAt: time.now())
                return WrittenJSONResponse(
                    KubernetesReportReply(
                        success: true, clusterId: outcome.clusterID, nodes: outcome.nodes, pods: outcome.pods,
                        deployments: outcome.deployments, lastSeen: outcome.lastSeen))
            }
        }

        routes.post(AgentPaths.dockerCommandAckPattern, access: .scope(.dockerReport)) { request, context in
            var request = request
            let commandID = try context.parameters.require("id")
            let ack = try await request.decodeJSON(CommandAck.self, limit: ReportLimits.commandAckBytes, decoder: AgentJSONDecoder())
            let result = try await state.acknowledgeCommand(commandID, ack: ack, token: context.authentication.token.map(ReportingToken.init))
            context.logger.notice(
                "agent acknowledged command",
                metadata: ["commandID": .string(commandID), "hostID": .string(result.hostID), "status": .string(result.command.status.rawValue)])
            return JSONResponse(AckReply(success: true, hostId: result.hostID, command: CommandView(result.command)))
        }
    }

    package struct AckReply: Encodable, Sendable {
        package let success: Bool
        package let hostId: String
        package let command: CommandView
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(state: MonitoringState, time: any TimeSource, gate: ConcurrencyGate, containerReuse: ContainerReuseCache = ContainerReuseCache()) {
        self.state = state
        self.time = time
        self.gate = gate
        self.containerReuse = containerReuse
    }
}

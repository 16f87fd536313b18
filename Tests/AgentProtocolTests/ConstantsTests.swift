import AgentProtocol
import Testing

@Suite("Headers, limits and paths")
struct ConstantsTests {
    @Test func headers() {
        #expect(AgentHeaders.apiToken == "X-API-Token")
        #expect(AgentHeaders.authorization == "Authorization")
        #expect(AgentHeaders.checksumSHA256 == "X-Checksum-Sha256")
        #expect(AgentHeaders.setupToken == "X-Setup-Token")
        #expect(AgentHeaders.userAgent(version: "5.1.36") == "pulse-agent/5.1.36")
        #expect(AgentHeaders.bearer("abc123") == "Bearer abc123")
    }

    @Test func bearerParsing() {
        #expect(AgentHeaders.token(fromAuthorization: "Bearer abc123") == "abc123")
        #expect(AgentHeaders.token(fromAuthorization: "bearer   abc123  ") == "abc123")
        #expect(AgentHeaders.token(fromAuthorization: "Basic dXNlcjpwYXNz") == nil)
        #expect(AgentHeaders.token(fromAuthorization: "Bearer ") == nil)
        #expect(AgentHeaders.token(fromAuthorization: "Bearerabc") == nil)
    }

    @Test func limits() {
        #expect(ReportLimits.hostReportBytes == 262_144)
        #expect(ReportLimits.dockerReportBytes == 524_288)
        #expect(ReportLimits.kubernetesReportBytes == 2_097_152)
        #expect(ReportLimits.commandAckBytes == 8192)
    }

    @Test func paths() {
        #expect(AgentPaths.hostReport == "/api/agents/host/report")
        #expect(AgentPaths.dockerReport == "/api/agents/docker/report")
        #expect(AgentPaths.kubernetesReport == "/api/agents/kubernetes/report")
        #expect(AgentPaths.dockerCommandAck(commandID: "cmd-7f3a") == "/api/agents/docker/commands/cmd-7f3a/ack")
        #expect(AgentPaths.commandID(fromAckPath: "/api/agents/docker/commands/cmd-7f3a/ack") == "cmd-7f3a")
        #expect(AgentPaths.commandID(fromAckPath: "/api/agents/docker/commands//ack") == nil)
        #expect(AgentPaths.commandID(fromAckPath: "/api/agents/docker/commands/a/b/ack") == nil)
        #expect(AgentPaths.commandID(fromAckPath: "/api/agents/docker/report") == nil)
        #expect(AgentPaths.dockerCommandAckPattern == "/api/agents/docker/commands/{id}/ack")
    }
}

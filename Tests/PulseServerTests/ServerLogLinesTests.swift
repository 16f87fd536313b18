import Foundation
import Testing

@testable import PulseAPI
@testable import PulseServer

/// What the terminal shows: one line per request is for debugging, not for a person watching
/// `make run`; a host agent reporting for the first time is worth a line.
@Suite("Server log lines: requests at debug, a new agent at notice")
struct ServerLogLinesTests {
    @Test(.timeLimit(.minutes(5)))
    func requestLinesAreDebugAndOnlyTheFirstReportOfAHostIsANotice() async throws {
        let logs = NginxProxyAuthTests.LogLines()
        try await TestServer.live(logHandler: logs) { server, client in
            let token = try await server.token(scopes: ["host-agent:report"])
            let docker = try await server.token(scopes: ["docker:report"])
            for timestamp in ["2025-06-15T15:06:40Z", "2025-06-15T15:06:50Z", "2025-06-15T15:07:00Z"] {
                let response = try await client.post(
                    "/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "fresh-host", timestamp: timestamp))
                #expect(response.status == .ok)
                let dockerReport = try await client.post(
                    "/api/agents/docker/report", token: docker,
                    body: AgentPayloads.docker(hostname: "fresh-docker", agentID: "daemon-1", timestamp: timestamp))
                #expect(dockerReport.status == .ok)
            }
        }
        let lines = logs.lines.withLock { $0 }
        let requests = lines.filter { $0.split(separator: " ").dropFirst().first == "request" }
        #expect(requests.count >= 6, "\(lines)")
        #expect(requests.allSatisfy { $0.hasPrefix("debug ") }, "\(requests)")
        let arrivals = lines.filter { $0.contains("new host agent reporting") }
        #expect(arrivals.count == 1, "\(arrivals)")
        #expect(arrivals.first?.hasPrefix("notice ") == true)
        #expect(arrivals.first?.contains("fresh-host") == true)
        let dockerArrivals = lines.filter { $0.contains("new Docker agent reporting") }
        #expect(dockerArrivals.count == 1, "\(dockerArrivals)")
        #expect(dockerArrivals.first?.hasPrefix("notice ") == true)
    }
}

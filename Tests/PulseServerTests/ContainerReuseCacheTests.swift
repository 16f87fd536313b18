import AgentProtocol
import Foundation
import PulseAPI
import Testing

/// Docker reports take unchanged containers over from the same token's previous report; what
/// the state shows must always be what the newest report says.
@Suite("Container reuse between Docker reports")
struct ContainerReuseCacheTests {
    func reuse(_ containers: Int) throws -> ContainerReuse {
        let json = AgentPayloads.docker(hostname: "d", agentID: "d1", containers: containers)
        let (report, digests) = try Array(json.utf8).withUnsafeBytes {
            try AgentJSONDecoder().decodeDockerReport(from: $0, reusing: ContainerReuse())
        }
        return try #require(ContainerReuse(containers: report.containers, digests: digests))
    }

    @Test func aChangedContainerShowsItsNewValuesWhileTheOthersAreTakenOver() async throws {
        try await TestServer.with { server, client in
            let token = try await server.token(scopes: ["docker:report"])
            let first = AgentPayloads.docker(hostname: "d", agentID: "d1", timestamp: "2025-06-15T12:00:00Z", containers: 3)
            #expect(try await client.post("/api/agents/docker/report", token: token, body: first).status == .ok)
            // The same containers, one of them stopped since.
            let second = AgentPayloads.docker(hostname: "d", agentID: "d1", timestamp: "2025-06-15T12:00:30Z", containers: 3)
                .replacingOccurrences(
                    of: #""name":"web-1","restartCount":0,"startedAt":"2025-06-15T14:00:01Z","state":"running""#,
                    with: #""name":"web-1","restartCount":0,"startedAt":"2025-06-15T14:00:01Z","state":"exited""#)
            #expect(second != AgentPayloads.docker(hostname: "d", agentID: "d1", timestamp: "2025-06-15T12:00:30Z", containers: 3))
            #expect(try await client.post("/api/agents/docker/report", token: token, body: second).status == .ok)
            let containers = try #require(try await client.state().objects("dockerHosts").first?.objects("containers"))
            let states = Dictionary(uniqueKeysWithValues: containers.map { ($0["name"] as? String ?? "", $0["state"] as? String ?? "") })
            #expect(states == ["web-0": "running", "web-1": "exited", "web-2": "running"])
        }
    }

    @Test func entriesArePerTokenExpireAndAreBounded() throws {
        let cache = ContainerReuseCache(lifetime: 900, capacity: 2)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        cache.store(try reuse(2), forToken: "a", at: start)
        #expect(cache.previous(forToken: "a").containers.count == 2)
        #expect(cache.previous(forToken: "b").containers.isEmpty, "another token's containers are never offered")

        // Past its lifetime an entry is let go at the next sweep.
        cache.store(try reuse(1), forToken: "b", at: start.addingTimeInterval(901))
        #expect(cache.count == 1)
        #expect(cache.previous(forToken: "a").containers.isEmpty)

        // Never more than `capacity`: the oldest goes first.
        cache.store(try reuse(1), forToken: "c", at: start.addingTimeInterval(902))
        cache.store(try reuse(1), forToken: "d", at: start.addingTimeInterval(903))
        #expect(cache.count == 2)
        #expect(cache.previous(forToken: "b").containers.isEmpty)
        #expect(cache.previous(forToken: "d").containers.count == 1)
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Rate limiting")
struct RateLimitTests {
    @Test func limiterRefusesPastTheLimitAndRecoversWhenTheWindowEnds() {
        let time = ManualTimeSource()
        let limiter = RateLimiter(time: time)
        let category = RateLimitCategory(name: "t", limit: 3, window: 60)
        let decisions = (0..<4).map { _ in limiter.consume(key: "ip:1", category: category) }
        #expect(decisions.map(\.allowed) == [true, true, true, false])
        #expect(decisions.map(\.remaining) == [2, 1, 0, 0])
        #expect(decisions[3].retryAfter == 60)
        #expect(limiter.consume(key: "ip:2", category: category).allowed, "another key has its own budget")
        time.advance(by: 45)
        #expect(limiter.consume(key: "ip:1", category: category).retryAfter == 15)
        time.advance(by: 15)
        #expect(limiter.consume(key: "ip:1", category: category).allowed)
    }

    @Test func expiredWindowsAreSweptSoTheTableStaysBounded() {
        let time = ManualTimeSource()
        let limiter = RateLimiter(time: time, sweepThreshold: 100)
        let category = RateLimitCategory(name: "t", limit: 1, window: 60)
        for client in 0..<100 { _ = limiter.consume(key: "ip:\(client)", category: category) }
        time.advance(by: 61)
        for client in 100..<110 { _ = limiter.consume(key: "ip:\(client)", category: category) }
        #expect(limiter.trackedCount <= 11)
    }

    @Test(arguments: [
        ("POST", "/api/login", "auth"),
        ("POST", "/api/security/quick-setup", "auth"),
        ("POST", "/api/config/export", "export"),
        ("POST", "/api/security/recovery", "recovery"),
        ("GET", "/api/updates/check", "updates"),
        ("GET", "/ws", "websocket"),
        ("GET", "/api/health", "public"),
        ("GET", "/download/pulse-agent", "downloads"),
        ("POST", "/api/config/nodes", "config"),
        ("DELETE", "/api/security/tokens/abc", "config"),
        ("GET", "/api/security/tokens", "general"),
        ("GET", "/api/charts", "general"),
    ])
    func categoriesFollowPulse(method: String, path: String, category: String) {
        #expect(RateLimitPolicy.category(method: .init(method)!, path: path).name == category)
    }

    @Test func responsesCarryRateLimitHeaders() async throws {
        try await TestServer.with { server, client in
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.headers[.rateLimitLimit] == "1000")
                #expect(response.headers[.rateLimitRemaining] == "999")
                let reset = try #require(response.headers[.rateLimitReset].flatMap(Int.init))
                #expect(reset == Int(server.time.now().timeIntervalSince1970) + 60)
            }
        }
    }

    @Test func stateIsExemptFromLimits() async throws {
        try await TestServer.with { _, client in
            try await client.execute(uri: "/api/state", method: .get, headers: .token(TestServer.adminToken)) { response in
                #expect(response.headers[.rateLimitLimit] == nil)
            }
        }
    }

    @Test func authEndpointsAnswer429AfterTenAttemptsAMinute() async throws {
        try await TestServer.with { server, client in
            for attempt in 1...10 {
                try await client.execute(uri: "/api/security/validate-bootstrap-token", method: .post, body: .json(#"{"token":"nope"}"#)) {
                    response in
                    #expect(response.status == .unauthorized, "attempt \(attempt)")
                    #expect(response.headers[.rateLimitRemaining] == String(10 - attempt), "error responses carry the headers too")
                }
            }
            try await client.execute(uri: "/api/security/validate-bootstrap-token", method: .post, body: .json(#"{"token":"nope"}"#)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "60")
                #expect(response.headers[.rateLimitRemaining] == "0")
                #expect(response.field("code", as: String.self) == "rate_limited")
            }
            // Other categories are untouched.
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            server.time.advance(by: 60)
            try await client.execute(uri: "/api/security/validate-bootstrap-token", method: .post, body: .json(#"{"token":"nope"}"#)) { response in
                #expect(response.status == .unauthorized, "the window has passed")
            }
        }
    }

    @Test func agentReportsAreCountedPerTokenNotPerAddress() async throws {
        try await TestServer.with(configure: { $0.rateLimits.agentReportsPerTokenPerMinute = 2 }) { server, _ in
            let policy = server.dependencies.configuration.rateLimits
            let record = try await server.dependencies.tokens.create(name: "agents", scopes: [.hostAgentReport]).record
            var context = PulseRequestContext.forTesting()
            context.authentication = .token(record)
            let request = Request.forTesting(method: .post, path: "/api/agents/host/report")
            let (key, category) = try #require(policy.classify(request, context: context))
            #expect(key == "token:\(record.id)")
            #expect(category.limit == 2)
            let anonymous = try #require(policy.classify(request, context: .forTesting()))
            #expect(anonymous.key.hasPrefix("ip:"), "without a valid token the address bucket applies")
            #expect(anonymous.category == .general)
            // An agent's update check with its token shares the token's budget; without one it is
            // a public endpoint counted per address.
            let versionCheck = Request.forTesting(method: .get, path: "/api/agent/version")
            #expect(try #require(policy.classify(versionCheck, context: context)).key == "token:\(record.id)")
            let anonymousCheck = try #require(policy.classify(versionCheck, context: .forTesting()))
            #expect(anonymousCheck.key.hasPrefix("ip:"))
            #expect(anonymousCheck.category == .publicEndpoints)
        }
    }

    /// Security finding 6: behind a reverse proxy on the same host every client was `127.0.0.1`,
    /// and loopback skipped every limit. Loopback is counted like any address now.
    @Test func loopbackIsCountedLikeAnyOtherAddress() {
        let policy = RateLimitPolicy()
        let request = Request.forTesting(method: .get, path: "/api/health")
        #expect(policy.classify(request, context: .forTesting(remoteIP: "127.0.0.1"))?.key == "ip:127.0.0.1")
        #expect(policy.classify(request, context: .forTesting(remoteIP: "::1"))?.key == "ip:::1")
        #expect(policy.classify(request, context: .forTesting(remoteIP: "192.0.2.7")) != nil)
    }
}

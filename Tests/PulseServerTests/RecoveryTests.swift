import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

@testable import Persistence
@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// `/api/security/recovery`: one-time tokens only for this machine, and a window without
/// authentication that admits this machine only and closes by itself.
@Suite("Recovery: loopback-only tokens and a window without authentication")
struct RecoveryTests {
    /// The proxy the live servers here trust; every other loopback address is a direct client.
    static let proxy = "127.0.0.2"

    static func live(
        configure: @escaping (inout ServerConfiguration) -> Void = { _ in }, logHandler: (any LogHandler)? = nil,
        _ body: @Sendable (TestServer, Int) async throws -> Void
    ) async throws {
        try await TestServer.live(
            configure: {
                $0.trustedProxies = try! TrustedProxies(parsing: Self.proxy)
                configure(&$0)
            }, logHandler: logHandler
        ) { server, client in
            try await body(server, try #require(client.port))
        }
    }

    static func recovery(
        _ action: String, port: Int, from source: String? = nil, to destination: String = "127.0.0.1", headers: [String: String] = [:],
        token: String? = nil
    ) async throws -> LocalHTTP.Reply {
        let body = token.map { #"{"action":"\#(action)","token":"\#($0)"}"# } ?? #"{"action":"\#(action)"}"#
        return try await LocalHTTP.send(
            "POST", "/api/security/recovery", port: port, from: source, to: destination, headers: headers, body: body)
    }

    /// A recovery token from a direct loopback client.
    static func recoveryToken(port: Int) async throws -> String {
        let reply = try await recovery("generate_token", port: port)
        try #require(reply.status == 200, "generate_token: \(reply.status) \(reply.body)")
        return try #require(reply.field("token", as: String.self))
    }

    @Test func theLoopbackRuleBelievesOnlyTheSocketAndTrustedProxies() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.2, 10.0.0.1")
        func local(_ peer: String?, xff: [String] = [], realIP: String? = nil, forwarded: String? = nil) -> Bool {
            proxies.isLoopbackClient(peer: peer, forwardedFor: xff, realIP: realIP, forwarded: forwarded)
        }
        #expect(local("127.0.0.1") && local("127.8.9.10") && local("::1") && local("::ffff:127.0.0.1"))
        #expect(!local(nil) && !local("unknown") && !local("192.0.2.2") && !local("::ffff:192.0.2.2") && !local("64:ff9b::7f00:1"))
        #expect(!local("203.0.113.9", xff: ["127.0.0.1"]), "a remote client naming loopback is still remote")
        #expect(!local("127.0.0.1", xff: ["127.0.0.1"]) && !local("127.0.0.1", realIP: "127.0.0.1"), "an undeclared proxy may relay anyone")
        #expect(!local("127.0.0.1", forwarded: "for=127.0.0.1"))
        #expect(local("127.0.0.2", xff: ["127.0.0.1"]) && local("127.0.0.2", realIP: "::1"), "a trusted local proxy forwarding a local client")
        #expect(!local("127.0.0.2", xff: ["203.0.113.7"]) && !local("127.0.0.2", xff: ["127.0.0.1, 203.0.113.7"]))
        #expect(!local("127.0.0.2"), "a trusted proxy that names no client")
        #expect(!local("127.0.0.2", xff: ["garbage"]) && !local("127.0.0.2", xff: ["garbage, 127.0.0.1"]))
        #expect(!local("10.0.0.1", xff: ["127.0.0.1"]), "a proxy on another host forwards its own loopback, not ours")
    }

    @Test(.timeLimit(.minutes(5)))
    func aRecoveryTokenIsGivenToThisMachineOnly() async throws {
        try await Self.live { server, port in
            let direct = try await Self.recovery("generate_token", port: port)
            #expect(direct.status == 200)
            let token = try #require(direct.field("token", as: String.self))
            #expect(token.count == 64 && token.utf8.allSatisfy { $0.isHexDigit })
            #expect(direct.field("expires_in_minutes", as: Int.self) == 15 && direct.field("success", as: Bool.self) == true)
            #expect(try await Self.recovery("generate_token", port: port, from: Self.proxy, headers: ["X-Forwarded-For": "127.0.0.1"]).status == 200)

            let refused: [(String, String?, [String: String])] = [
                ("forwarded by the trusted proxy for a remote client", Self.proxy, ["X-Forwarded-For": "203.0.113.7"]),
                ("the trusted proxy naming no client", Self.proxy, [:]),
                ("an undeclared proxy's forwarding header", nil, ["X-Forwarded-For": "127.0.0.1"]),
                ("an undeclared proxy's X-Real-IP", nil, ["X-Real-IP": "127.0.0.1"]),
            ]
            for (what, source, headers) in refused {
                let reply = try await Self.recovery("generate_token", port: port, from: source, headers: headers)
                #expect(reply.status == 403 && reply.field("token", as: String.self) == nil, "\(what): \(reply.status) \(reply.body)")
            }
            let audit = try server.dependencies.audit.recent(limit: 20).filter { $0.event == "recovery_token_generate" }
            #expect(audit.filter(\.success).count == 2 && audit.filter { !$0.success }.count == 4)
        }
        // Without a socket peer (the router test client) nobody is local.
        try await TestServer.with { _, client in
            let reply = try await client.execute(
                uri: "/api/security/recovery", method: .post, headers: .json, body: .json(#"{"action":"generate_token"}"#))
            #expect(reply.status == .forbidden && reply.field("token", as: String.self) == nil)
        }
    }

    /// A server as `pulse` runs it, listening on every address (the test framework's listens on
    /// localhost only), so a client can connect from this host's own non-loopback address.
    static func onEveryAddress(_ body: @Sendable (Int) async throws -> Void) async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = folder.path
        configuration.bindAddress = "0.0.0.0"
        configuration.port = 0
        configuration.apiTokens = [TestServer.adminToken]
        configuration.logLevel = .critical
        configuration.trustedProxies = try TrustedProxies(parsing: Self.proxy)
        var logger = Logger(label: "pulse-test")
        logger.logLevel = .critical
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = try await buildApplication(configuration, time: ManualTimeSource(), logger: logger) { channel in
            announce.yield(channel.localAddress?.port ?? 0)
        }
        let group = ServiceGroup(configuration: .init(services: [app.application], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var next = ports.makeAsyncIterator()
            let port = try #require(await next.next())
            var failure: (any Error)?
            do {
                try await body(port)
            } catch {
                failure = error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }

    @Test(.enabled(if: LocalHTTP.nonLoopbackAddress != nil), .timeLimit(.minutes(5)))
    func aClientOnAnotherAddressGetsNoTokenAndIsNeverLetInWithoutCredentials() async throws {
        let address = try #require(LocalHTTP.nonLoopbackAddress)
        try await Self.onEveryAddress { port in
            let forged = try await Self.recovery(
                "generate_token", port: port, from: address, to: address, headers: ["X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"])
            #expect(forged.status == 403, "\(forged.status) \(forged.body)")
            let token = try await Self.recoveryToken(port: port)
            // The token itself may be used from anywhere; the window it opens admits loopback only.
            let disabled = try await Self.recovery("disable_auth", port: port, from: address, to: address, token: token)
            #expect(disabled.status == 200, "\(disabled.body)")
            #expect(try await LocalHTTP.send("GET", "/api/state", port: port).status == 200)
            for headers in [[:], ["X-Forwarded-For": "127.0.0.1"]] {
                let remote = try await LocalHTTP.send("GET", "/api/state", port: port, from: address, to: address, headers: headers)
                #expect(remote.status == 401, "\(headers): \(remote.status) \(remote.body)")
            }
            let status = try await LocalHTTP.send("GET", "/api/security/recovery", port: port, from: address, to: address)
            #expect(status.status == 401)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aRecoveryTokenWorksOnceAndNotAfterItExpires() async throws {
        try await Self.live { server, port in
            let token = try await Self.recoveryToken(port: port)
            #expect(try await Self.recovery("disable_auth", port: port, token: (token.hasPrefix("0") ? "1" : "0") + token.dropFirst()).status == 401)
            #expect(try await Self.recovery("disable_auth", port: port, headers: ["X-Recovery-Token": token]).status == 200)
            #expect(try await Self.recovery("disable_auth", port: port, token: token).status == 401, "used once already")
            #expect(try await Self.recovery("enable_auth", port: port, token: token).status == 401, "used once already")

            let late = try await Self.recoveryToken(port: port)
            server.time.advance(by: RecoveryMode.tokenLifetime + 1)
            #expect(try await Self.recovery("disable_auth", port: port, token: late).status == 401, "expired")
            #expect(try await Self.recovery("disable_auth", port: port).status == 401, "no token")
            #expect(try await Self.recovery("reboot", port: port).status == 400)
            let failures = try server.dependencies.audit.recent(limit: 50).filter { $0.event == "recovery_auth_disable" && !$0.success }
            #expect(failures.count == 4)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func disabledAuthenticationAdmitsThisMachineForFifteenMinutesAndNoOneElse() async throws {
        try await Self.live { server, port in
            #expect(try await LocalHTTP.send("GET", "/api/state", port: port).status == 401, "authentication is on")
            let token = try await Self.recoveryToken(port: port)
            let disabled = try await Self.recovery("disable_auth", port: port, token: token)
            #expect(disabled.status == 200 && disabled.field("auth_disabled_until", as: String.self) != nil)

            #expect(try await LocalHTTP.send("GET", "/api/state", port: port).status == 200)
            let created = try await LocalHTTP.send("POST", "/api/security/tokens", port: port, body: #"{"name":"made in recovery"}"#)
            #expect(created.status == 200, "an administrator: \(created.body)")
            let viaProxy = try await LocalHTTP.send("GET", "/api/state", port: port, from: Self.proxy, headers: ["X-Forwarded-For": "127.0.0.1"])
            #expect(viaProxy.status == 200, "a local client behind the trusted local proxy")

            let notAdmitted: [(String, String?, [String: String])] = [
                ("a remote client behind the trusted proxy", Self.proxy, ["X-Forwarded-For": "203.0.113.7"]),
                ("the trusted proxy naming no client", Self.proxy, [:]),
                ("an undeclared local proxy", nil, ["X-Forwarded-For": "198.51.100.4"]),
                ("a rejected token", nil, ["X-API-Token": String(repeating: "0", count: 64)]),
            ]
            for (what, source, headers) in notAdmitted {
                let reply = try await LocalHTTP.send("GET", "/api/state", port: port, from: source, headers: headers)
                #expect(reply.status == 401, "\(what): \(reply.status)")
            }
            let rebound = try await LocalHTTP.send("POST", "/api/security/tokens", port: port, host: "evil.example:\(port)", body: "{}")
            #expect(rebound.status == 403, "a DNS-rebound name: \(rebound.body)")
            let crossSite = try await LocalHTTP.send(
                "POST", "/api/security/tokens", port: port, headers: ["Sec-Fetch-Site": "cross-site"], body: "{}")
            #expect(crossSite.status == 403, "another site's page: \(crossSite.body)")
            let status = try await LocalHTTP.send("GET", "/api/security/recovery", port: port)
            #expect(status.field("recovery_mode", as: Bool.self) == true && status.field("auth_disabled_until", as: String.self) != nil)

            server.time.advance(by: RecoveryMode.authDisabledDuration)
            #expect(try await LocalHTTP.send("GET", "/api/state", port: port).status == 401, "the window closed by itself")
            #expect(try await LocalHTTP.send("GET", "/api/security/recovery", port: port).status == 401)
            let after = try await LocalHTTP.send("GET", "/api/security/recovery", port: port, headers: ["X-API-Token": TestServer.adminToken])
            #expect(after.field("recovery_mode", as: Bool.self) == false)
            let events = try server.dependencies.audit.recent(limit: 50).map(\.event)
            #expect(events.contains("recovery_auth_disable") && events.contains("recovery_auth_expired"))
        }
        // Without a socket peer nobody is local, in the window too.
        try await TestServer.with { server, client in
            _ = await server.dependencies.recovery.disableAuthentication()
            let state = try await client.execute(uri: "/api/state", method: .get)
            let status = try await client.execute(uri: "/api/security/recovery", method: .get)
            #expect(state.status == .unauthorized && status.status == .unauthorized)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func enableAuthEndsTheWindowEarlyWithATokenOrForAnAdministrator() async throws {
        try await Self.live { server, port in
            #expect(try await Self.recovery("disable_auth", port: port, token: try await Self.recoveryToken(port: port)).status == 200)
            #expect(try await Self.recovery("enable_auth", port: port).status == 200, "the local administrator the window made")
            #expect(try await LocalHTTP.send("GET", "/api/state", port: port).status == 401)
            #expect(try await Self.recovery("enable_auth", port: port).status == 401, "now it takes a token or credentials")
            let viewer = try await server.token(scopes: ["settings:write"])
            #expect(try await Self.recovery("enable_auth", port: port, headers: ["X-API-Token": viewer]).status == 401, "not a full administrator")
            #expect(try await Self.recovery("enable_auth", port: port, headers: ["X-API-Token": TestServer.adminToken]).status == 200)
            #expect(try await Self.recovery("enable_auth", port: port, token: try await Self.recoveryToken(port: port)).status == 200)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Security finding 6: five wrong passwords from anywhere used to lock the admin out everywhere,
/// and behind a reverse proxy on the same host every client was `127.0.0.1` and skipped limits.
@Suite("Login lockout per user and address, trusted proxies")
struct LoginLockoutTests {
    @Test func failuresFromOneAddressNeverLockTheUserOutElsewhere() async {
        let time = ManualTimeSource()
        let lockout = LoginLockout(time: time)
        for _ in 0..<LoginLockout.maximumFailures { _ = await lockout.recordFailure(user: "admin", ip: "203.0.113.9") }
        #expect(await lockout.status(user: "admin", ip: "203.0.113.9").lockedUntil != nil, "the attacker's address is locked for admin")
        #expect(await lockout.status(user: "Admin", ip: "203.0.113.9").lockedUntil != nil, "usernames compare without case")
        let elsewhere = await lockout.status(user: "admin", ip: "198.51.100.7")
        #expect(elsewhere.lockedUntil == nil && elsewhere.remaining == LoginLockout.maximumFailures)
    }

    @Test func failuresSpreadOverManyAddressesLockNobody() async {
        let lockout = LoginLockout(time: ManualTimeSource())
        for address in 1...50 { _ = await lockout.recordFailure(user: "admin", ip: "203.0.113.\(address)") }
        #expect(await lockout.status(user: "admin", ip: "198.51.100.7").lockedUntil == nil)
    }

    @Test func oneAddressSprayingUsernamesIsLockedAsAnAddress() async {
        let lockout = LoginLockout(time: ManualTimeSource())
        for index in 0..<LoginLockout.maximumFailuresPerAddress { _ = await lockout.recordFailure(user: "user\(index)", ip: "203.0.113.9") }
        #expect(await lockout.status(user: "someone-else", ip: "203.0.113.9").lockedUntil != nil)
        #expect(await lockout.status(user: "someone-else", ip: "203.0.113.10").lockedUntil == nil)
    }

    @Test func recordsExpireAndArePrunedAndTheirNumberIsBounded() async {
        let time = ManualTimeSource()
        let lockout = LoginLockout(time: time)
        for index in 0..<100 { _ = await lockout.recordFailure(user: "user\(index)", ip: "10.1.\(index / 250).\(index % 250)") }
        #expect(await lockout.recordCount == 200)
        time.advance(by: LoginLockout.lockoutDuration + 61)
        _ = await lockout.recordFailure(user: "late", ip: "10.9.9.9")
        #expect(await lockout.recordCount == 2, "expired records are pruned")

        for index in 0..<(LoginLockout.maximumRecords / 2 + 100) {
            _ = await lockout.recordFailure(user: "spray\(index)", ip: "10.\(index / 65_536).\(index / 256 % 256).\(index % 256)")
        }
        #expect(await lockout.recordCount <= LoginLockout.maximumRecords)
    }

    @Test func overlongUsernamesAreRefusedNamingTheField() async throws {
        try await SessionSecurityTests.withUser { _, client in
            let body = AgentPayloads.json([
                "username": String(repeating: "a", count: LoginRoutes.maximumUsernameLength + 1), "password": "whatever it is",
            ])
            let response = try await client.execute(uri: "/api/login", method: .post, headers: .json, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect((try response.jsonObject()["details"] as? [String: String])?["field"] == "username")
        }
    }

    @Test func anUnknownUserCostsTheSameBcryptWorkAsAKnownOne() async throws {
        try await SessionSecurityTests.withUser { server, _ in
            // Counts the hashes checked, instead of timing them on a shared machine.
            let checked = Mutex<[String]>([])
            var users = server.dependencies.users
            users.checkPassword = { password, hash in
                checked.withLock { $0.append(hash) }
                return try await UserStore.matches(password, hash: hash)
            }
            let known = try await users.verify(username: "admin", password: "not the password")
            let unknown = try await users.verify(username: "nobody", password: "not the password")
            #expect(!known && !unknown)
            let hashes = checked.withLock { $0 }
            #expect(hashes.count == 2, "before the fix an unknown user checked no hash and answered at once")
            #expect(hashes.last == UserStore.unknownUserHash(cost: 4) && UserStore.isBcryptHash(UserStore.unknownUserHash(cost: 4)))
            #expect(hashes.last?.prefix(7) == hashes.first?.prefix(7), "the same bcrypt cost: \(hashes.map { $0.prefix(7) })")
        }
    }

    /// Logs in through a real socket from 127.0.0.1, optionally claiming to forward `forwardedFor`.
    static func login(
        _ client: any TestClientProtocol, username: String = "admin", password: String, forwardedFor: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = .json
        if let forwardedFor { headers[.xForwardedFor] = forwardedFor }
        return try await client.execute(
            uri: "/api/login", method: .post, headers: headers,
            body: ByteBuffer(string: AgentPayloads.json(["username": username, "password": password])))
    }

    @Test func behindATrustedProxyEachForwardedClientIsLockedOnItsOwn() async throws {
        try await TestServer.with(configure: {
            $0.authUser = "admin"
            $0.authPassword = SessionSecurityTests.password
            $0.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1/32")
        }) { server, _ in
            try await server.app.application.test(.live) { client in
                for _ in 0..<LoginLockout.maximumFailures {
                    _ = try await Self.login(client, password: "wrong password 123", forwardedFor: "203.0.113.9")
                }
                let attacker = try await Self.login(client, password: SessionSecurityTests.password, forwardedFor: "203.0.113.9")
                #expect(attacker.status == .tooManyRequests)
                let admin = try await Self.login(client, password: SessionSecurityTests.password, forwardedFor: "198.51.100.7")
                #expect(admin.status == .ok, "the right password from an address that did not fail still works")
            }
        }
    }

    @Test func forwardingHeadersFromAnUntrustedPeerAreIgnored() async throws {
        try await SessionSecurityTests.withUser { server, _ in
            try await server.app.application.test(.live) { client in
                for index in 0..<LoginLockout.maximumFailures {
                    _ = try await Self.login(client, password: "wrong password 123", forwardedFor: "203.0.113.\(index)")
                }
                // The forged headers named five addresses; the peer is one, and it is locked.
                let response = try await Self.login(client, password: SessionSecurityTests.password, forwardedFor: "198.51.100.7")
                #expect(response.status == .tooManyRequests)
                #expect(try response.jsonObject()["code"] as? String == "locked_out")
            }
        }
    }

    @Test func loopbackClientsAreRateLimitedLikeAnyOther() async throws {
        try await SessionSecurityTests.withUser { server, _ in
            try await server.app.application.test(.live) { client in
                var codes: [String] = []
                for index in 0...RateLimitCategory.authentication.limit {
                    let response = try await Self.login(client, username: "user\(index)", password: "wrong password 123")
                    codes.append((try? response.jsonObject()["code"] as? String) ?? "")
                }
                #expect(codes.last == "rate_limited", "loopback is no longer exempt: \(codes)")
            }
        }
    }

    @Test func theClientAddressIsTheNearestUntrustedHop() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.0.2.1")
        #expect(proxies.clientAddress(peer: "203.0.113.5", forwardedFor: ["198.51.100.1"], realIP: "198.51.100.2") == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "10.1.1.1", forwardedFor: ["6.6.6.6, 198.51.100.1, 192.0.2.1"], realIP: nil) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: "10.1.1.1", forwardedFor: ["6.6.6.6", "198.51.100.1"], realIP: nil) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: "10.1.1.1", forwardedFor: [], realIP: "198.51.100.3") == "198.51.100.3")
        #expect(proxies.clientAddress(peer: "10.1.1.1", forwardedFor: ["not-an-ip, 10.2.2.2"], realIP: nil) == "10.2.2.2")
        #expect(proxies.clientAddress(peer: "10.1.1.1", forwardedFor: ["garbage"], realIP: nil) == "10.1.1.1")
        #expect(throws: TrustedProxies.InvalidRange.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
    }
}

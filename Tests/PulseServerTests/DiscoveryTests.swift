import CurlHTTP
import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `/api/discover` and the periodic `DiscoveryService`, against fakepve and the PBS/PMG fixtures
/// listening on the products' real ports (8006, 8007) on addresses of a loopback /24 of their own.
///
/// Linux routes all of 127/8 to the loopback interface, so each test takes a random
/// `127.a.b.0/24`: nothing else listens there (ephemeral ports are never 8006 or 8007), and two
/// runs of the suite on one machine do not see each other's fixtures.
@Suite("Network discovery")
struct DiscoveryTests {
    static let admin = HTTPFields.token(TestServer.adminToken)

    /// `127.a.b` for a /24 no other test uses (127.0.0.x is where the other peers listen).
    static func loopbackPrefix() -> String { "127.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))" }

    static func scan(_ subnet: String, _ client: some TestClientProtocol, headers: HTTPFields = admin) async throws -> TestResponse {
        try await client.execute(uri: "/api/discover", method: .post, headers: headers, body: .json(#"{"subnet":"\#(subnet)"}"#))
    }

    @Test(.timeLimit(.minutes(5)))
    func aScanOfALoopbackSlash24FindsExactlyTheFixturesWithTypeVersionFingerprintAndConfiguredMark() async throws {
        let net = Self.loopbackPrefix()
        try await PVEPeer.with(host: "\(net).10", port: 8006) { pve in
            try await PBSPMGFixture.with(pbs: "\(net).20:8007", pmg: "\(net).30:8006", other: "\(net).40:8006") { fixtures in
                try await TestServer.with { server, client in
                    // The PVE node is configured by address, the PBS by its pinned fingerprint alone.
                    let pveBody =
                        #"{"type":"pve","name":"lab","host":"\#(pve.info.url)","tokenName":"\#(pve.info.tokenId)","tokenValue":"\#(pve.info.tokenSecret)","verifySSL":false}"#
                    let pbsBody =
                        #"{"type":"pbs","name":"vault","host":"https://backup.invalid:8007","user":"root@pam","password":"x","fingerprint":"\#(fixtures.info.pbs.fingerprint)"}"#
                    for body in [pveBody, pbsBody] {
                        try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(body)) {
                            #expect($0.status == .created, "\($0.text)")
                        }
                    }

                    let started = ContinuousClock.now
                    let reply = try await Self.scan("\(net).0/24", client)
                    let elapsed = ContinuousClock.now - started
                    print("discovery: a scan of \(net).0/24 (254 addresses × ports 8006, 8007) took \(elapsed.wholeMilliseconds) ms")
                    #expect(reply.status == .ok, "\(reply.text)")
                    let report = try reply.jsonObject()
                    #expect(report["scanning"] as? Bool == false && (report["errors"] as? [Any])?.isEmpty == true)
                    #expect(report["updated"] as? Int == Int(server.time.now().timeIntervalSince1970))
                    #expect(report["subnet"] as? String == "\(net).0/24")
                    let servers = try #require(report["servers"] as? [[String: Any]])
                    let found = servers.map { "\($0["host"] ?? ""):\($0["port"] ?? "") \($0["type"] ?? "")" }
                    #expect(found == ["\(net).10:8006 pve", "\(net).20:8007 pbs", "\(net).30:8006 pmg"])
                    guard servers.count == 3 else { return }
                    let (pveFound, pbsFound, pmgFound) = (servers[0], servers[1], servers[2])
                    #expect(pveFound["name"] as? String == "pve1" && pveFound["version"] as? String == "9.0.10")
                    #expect(pveFound["fingerprint"] as? String == pve.info.fingerprint && pveFound["configured"] as? Bool == true)
                    // PBS shows its version to logged-in users only.
                    #expect(pbsFound["name"] as? String == "localhost" && pbsFound["version"] is NSNull)
                    #expect(pbsFound["fingerprint"] as? String == fixtures.info.pbs.fingerprint && pbsFound["configured"] as? Bool == true)
                    #expect(pmgFound["name"] as? String == "pmg1" && pmgFound["version"] as? String == "8.1.4")
                    #expect(pmgFound["fingerprint"] as? String == fixtures.info.pmg.fingerprint && pmgFound["configured"] as? Bool == false)

                    // GET gives the same results; an instance added since shows as configured.
                    let pmgBody = #"{"type":"pmg","name":"mail","host":"https://\#(net).30","user":"root@pam","password":"x"}"#
                    try await client.execute(uri: "/api/config/nodes", method: .post, headers: Self.admin, body: .json(pmgBody)) {
                        #expect($0.status == .created, "\($0.text)")
                    }
                    let reader = try await server.token(scopes: ["settings:read"])
                    try await client.execute(uri: "/api/discover", method: .get, headers: .token(reader)) { response in
                        #expect(response.status == .ok)
                        let again = try response.jsonObject()
                        let listed = try #require(again["servers"] as? [[String: Any]])
                        #expect(listed.map { $0["host"] as? String } == servers.map { $0["host"] as? String })
                        #expect(listed.map { $0["configured"] as? Bool } == [true, true, true])
                        #expect(again["updated"] as? Int == report["updated"] as? Int)
                    }
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func postDiscoverRefusesEveryBadSubnetNamingTheField() async throws {
        try await TestServer.with { server, client in
            let bad: [(body: String, why: String)] = [
                ("{}", "no subnet"), (#"{"subnet":null}"#, "null"), (#"{"subnet":24}"#, "a number"), (#"{"subnet":["10.0.0.0/24"]}"#, "an array"),
                (#"{"subnet":""}"#, "empty"), (#"{"subnet":" , "}"#, "empty items"), (#"{"subnet":"nope"}"#, "not a network"),
                (#"{"subnet":"192.168.1.0"}"#, "no prefix"), (#"{"subnet":"192.168.1.0/33"}"#, "prefix past 32"),
                (#"{"subnet":"192.168.1.5/24"}"#, "host bits set"), (#"{"subnet":"192.168.001.0/24"}"#, "a leading zero"),
                (#"{"subnet":"192.168.1.0/24x"}"#, "junk after the prefix"), (#"{"subnet":"fd00::/120"}"#, "IPv6"),
                (#"{"subnet":"8.8.8.0/24"}"#, "a public network"), (#"{"subnet":"169.254.0.0/24"}"#, "link-local"),
                (#"{"subnet":"172.15.255.0/24"}"#, "just below 172.16/12"), (#"{"subnet":"10.0.0.0/16"}"#, "65,536 addresses"),
                (#"{"subnet":"10.0.0.0/20,10.1.0.0/24"}"#, "4,352 addresses in all"), (#"{"subnet":"10.0.0.0/24;rm -rf /"}"#, "shell text"),
                (#"{"subnet":"10.0.0.0/24\n10.0.1.0/24"}"#, "a line break"),
            ]
            for (body, why) in bad {
                try await client.execute(uri: "/api/discover", method: .post, headers: Self.admin, body: .json(body)) { response in
                    #expect(response.status == .badRequest, "\(why): \(response.status) \(response.text)")
                    let details = response.field("details", as: [String: String].self)
                    #expect(details?["field"] == "subnet", "\(why): \(response.text)")
                }
            }
            // Not JSON, or not an object: 400 invalid_json; a body past 4 KiB: 413.
            for body in ["{", "[]", #""10.0.0.0/24""#] {
                try await client.execute(uri: "/api/discover", method: .post, headers: Self.admin, body: .json(body)) { response in
                    #expect(response.status == .badRequest && response.field("code", as: String.self) == "invalid_json", "\(body): \(response.text)")
                }
            }
            let huge = #"{"subnet":"10.0.0.0/24","pad":"\#(String(repeating: "x", count: 5000))"}"#
            try await client.execute(uri: "/api/discover", method: .post, headers: Self.admin, body: .json(huge)) {
                #expect($0.status == .contentTooLarge)
            }
            // Scanning changes what GET shows: it needs settings:write; reading needs settings:read.
            let reader = try await server.token(scopes: ["settings:read"])
            let monitor = try await server.token(scopes: ["monitoring:read"])
            #expect(try await Self.scan("10.0.0.0/24", client, headers: .token(reader)).status == .forbidden)
            try await client.execute(uri: "/api/discover", method: .get, headers: .token(monitor)) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/discover", method: .get) { #expect($0.status == .unauthorized) }
            // Nothing was scanned: the report is still empty.
            try await client.execute(uri: "/api/discover", method: .get, headers: .token(reader)) { response in
                let report = try response.jsonObject()
                #expect((report["servers"] as? [Any])?.isEmpty == true && (report["errors"] as? [Any])?.isEmpty == true)
                #expect(report["scanning"] as? Bool == false && report["updated"] as? Int == 0 && report["subnet"] is NSNull)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func whileAScanRunsGetShowsItAndASecondScanIsRefused() async throws {
        let address = "\(Self.loopbackPrefix()).50"
        // Accepts TCP and never answers TLS, until closed: the scan waits on it for the probe's
        // connect timeout, raised here so the test decides when the scan ends.
        let silent = try #require(SilentListener(address: address, port: 8006))
        defer { silent.close() }
        try await TestServer.with(configure: { $0.discoveryProbe = DiscoveryProbe(connectTimeout: .seconds(50), timeout: .seconds(50)) }) {
            server, client in
            try await withThrowingTaskGroup(of: TestResponse.self) { group in
                group.addTask { try await Self.scan("\(address)/32", client) }
                try await silent.waitForConnection()
                try await client.execute(uri: "/api/discover", method: .get, headers: Self.admin) { response in
                    #expect(response.field("scanning", as: Bool.self) == true)
                }
                let second = try await Self.scan("10.0.0.0/24", client)
                #expect(second.status == .conflict && second.field("code", as: String.self) == "scan_in_progress", "\(second.text)")
                silent.close()
                let first = try #require(try await group.next())
                #expect(first.status == .ok, "\(first.text)")
                #expect(first.field("servers", as: [Any].self)?.isEmpty == true && first.field("scanning", as: Bool.self) == false)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func thePeriodicScanFollowsTheLiveSettingsEveryFiveMinutes() async throws {
        let net = Self.loopbackPrefix()
        try await PBSPMGFixture.with(pbs: "\(net).20:8007", pmg: "\(net).30:8006") { _ in
            try await TestServer.with { server, client in
                // The server's own loop is idle in tests (TestServer); this one runs on the manual clock.
                let service = DiscoveryService(
                    discovery: server.dependencies.discovery, settings: server.dependencies.settings, time: server.time,
                    logger: .init(label: "test"))
                var schedule = DiscoveryService.Schedule()
                let updated = { await server.dependencies.discovery.report.updated }
                let servers = { await server.dependencies.discovery.report.servers.map { "\($0.host):\($0.port)" } }
                func settle(_ body: String) async throws {
                    try await client.execute(uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: .json(body)) {
                        #expect($0.status == .ok, "\($0.text)")
                    }
                }

                await service.pass(&schedule)
                #expect(await updated() == nil, "discovery is off by default")

                try await settle(#"{"discoveryEnabled":true,"discoverySubnet":"\#(net).16/29"}"#)
                await service.pass(&schedule)
                let first = server.time.now()
                #expect(await updated() == first)
                #expect(await servers() == ["\(net).20:8007"])

                server.time.advance(by: 299)
                await service.pass(&schedule)
                #expect(await updated() == first, "not due before 5 minutes")
                server.time.advance(by: 1)
                await service.pass(&schedule)
                #expect(await updated() == server.time.now(), "due after 5 minutes")

                // A new subnet is scanned at the next pass, without waiting or restarting.
                try await settle(#"{"discoverySubnet":"\#(net).24/29"}"#)
                await service.pass(&schedule)
                #expect(await server.dependencies.discovery.report.subnet == "\(net).24/29")
                #expect(await servers() == ["\(net).30:8006"])

                // Off: no more scans, the last results stay.
                let last = await updated()
                try await settle(#"{"discoveryEnabled":false}"#)
                server.time.advance(by: 3600)
                await service.pass(&schedule)
                #expect(await updated() == last)
                #expect(await servers() == ["\(net).30:8006"])
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func theDiscoverySubnetSettingFollowsTheScanRules() async throws {
        try await TestServer.with { server, client in
            for (value, why) in [("8.8.8.0/24", "public"), ("10.0.0.0/16", "too large"), ("192.168.1.0/24,nope", "junk"), ("fd00::/64", "IPv6")] {
                try await client.execute(
                    uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: .json(#"{"discoverySubnet":"\#(value)"}"#)
                ) { response in
                    #expect(response.status == .badRequest, "\(why): \(response.text)")
                    #expect(response.field("details", as: [String: String].self)?["field"] == "discoverySubnet", "\(why)")
                }
            }
            for (value, stored) in [(" 192.168.1.0/24 , 10.0.0.0/24 ", "192.168.1.0/24,10.0.0.0/24"), ("", "auto"), ("AUTO", "auto")] {
                try await client.execute(
                    uri: "/api/system/settings/update", method: .post, headers: Self.admin, body: .json(#"{"discoverySubnet":"\#(value)"}"#)
                ) { response in
                    #expect(response.status == .ok && response.field("discoverySubnet", as: String.self) == stored, "\(value): \(response.text)")
                }
            }
            #expect(server.dependencies.settings.current.discoverySubnet == "auto")
        }
    }

    @Test func aNetworkListsItsHostAddresses() {
        let slash24 = IPv4Network(cidr: "192.168.7.0/24")
        #expect(slash24?.hosts.count == 254 && slash24?.hosts.first.map(IPv4Network.text) == "192.168.7.1")
        #expect(slash24?.hosts.last.map(IPv4Network.text) == "192.168.7.254")
        #expect(IPv4Network(cidr: "10.0.0.4/31")?.hosts.map(IPv4Network.text) == ["10.0.0.4", "10.0.0.5"])
        #expect(IPv4Network(cidr: "10.0.0.9/32")?.hosts.map(IPv4Network.text) == ["10.0.0.9"])
        #expect(IPv4Network(cidr: "10.0.0.0/20")?.size == DiscoverySubnet.maximumAddresses)
        #expect(IPv4Network(cidr: "256.0.0.0/8") == nil && IPv4Network(cidr: "10.0.0/24") == nil && IPv4Network(cidr: "10.0.0.0/-1") == nil)
    }

    @Test func autoScansTheSlash24AroundEachPrivateInterfaceAddress() throws {
        let address = { (text: String) in try #require(IPv4Network.address(text[...])) }
        let networks = LocalNetworks.networks(around: [
            (try address("127.0.0.1"), 8), (try address("192.168.1.23"), 24), (try address("10.20.30.40"), 16),
            (try address("203.0.113.5"), 24), (try address("172.17.0.1"), 16), (try address("192.168.1.99"), 24),
            (try address("100.100.1.2"), 10), (try address("192.168.50.9"), 28),
        ])
        #expect(
            networks.map(\.description) == ["192.168.1.0/24", "10.20.30.0/24", "172.17.0.0/24", "100.100.1.0/24", "192.168.50.0/28"])
        // Past 4,096 addresses the rest is left out.
        let many: [(address: UInt32, prefix: Int)] = (0..<20).map { (UInt32(0x0A00_0001) + UInt32($0) << 8, 24) }
        #expect(LocalNetworks.networks(around: many).count == 16)
    }

    @Test func aLoginPageNamesTheProductOnlyInItsTitleAndNeverCarriesMarkupIntoTheName() throws {
        func page(_ title: String, _ script: String = "") -> [UInt8] {
            Array("<html><head><TITLE>\(title)</TITLE><script src=\"\(script)\"></script></head></html>".utf8)
        }
        #expect(
            ProxmoxLoginPage(html: page("pve-a - Proxmox Virtual Environment", "/pve2/js/pvemanagerlib.js?ver=8.4.1"))
                == ProxmoxLoginPage(product: .pve, nodeName: "pve-a", version: "8.4.1"))
        #expect(ProxmoxLoginPage(html: page("backup - Proxmox Backup Server")) == ProxmoxLoginPage(product: .pbs, nodeName: "backup", version: nil))
        #expect(ProxmoxLoginPage(html: page("<b>x</b> - Proxmox Mail Gateway"))?.nodeName == "")
        #expect(ProxmoxLoginPage(html: page("x - Proxmox Mail Gateway", "/pmgmanagerlib.js?ver=\"><script>"))?.version == nil)
        #expect(ProxmoxLoginPage(html: page("Proxmox Virtual Environment")) == nil)
        #expect(ProxmoxLoginPage(html: page("router - Web Interface")) == nil)
        #expect(ProxmoxLoginPage(html: Array("no title here - Proxmox Virtual Environment".utf8)) == nil)
    }
}

/// A TCP listener that accepts and then says nothing, until closed (a TLS client waits on it).
final class SilentListener: Sendable {
    private let socket: Int32
    /// Accepted connections; nil once closed.
    private let accepted = Mutex<[Int32]?>([])

    init?(address: String, port: Int) {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_port = in_port_t(UInt16(port).bigEndian)
        guard socket >= 0, inet_pton(AF_INET, address, &local.sin_addr) == 1 else { return nil }
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else {
            Glibc.close(socket)
            return nil
        }
    }

    /// Returns once a client has connected (the connection stays open and silent).
    func waitForConnection() async throws {
        let socket = socket
        let client = try await BlockingThread.run { accept(socket, nil, nil) }
        let kept = accepted.withLock { list in
            list?.append(client)
            return list != nil
        }
        if !kept && client >= 0 { Glibc.close(client) }
    }

    /// Closes the listener and every accepted connection (again: nothing).
    func close() {
        let open = accepted.withLock { list in
            let open = list
            list = nil
            return open
        }
        guard let open else { return }
        for fd in open where fd >= 0 { Glibc.close(fd) }
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}

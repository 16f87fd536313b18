import Logging
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

@Suite("Connection caps: counting clients")
struct ConnectionAdmissionTests {
    /// Collects warnings so a test can count them.
    final class Warnings: LogHandler, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let rendered = "\(event.message) \(event.metadata ?? [:])"
            if event.level == .warning { lines.withLock { $0.append(rendered) } }
        }
    }

    @Test func capsApplyPerClientAndInTotalAndRefusalsAreLoggedSparingly() async throws {
        let warnings = Warnings()
        let admission = ConnectionAdmission(
            limits: .init(total: 5, perClient: 3), logger: Logger(label: "test") { _ in warnings }, warningInterval: .milliseconds(300))
        let a = ClientAddress(bytes: [192, 0, 2, 1])
        let b = ClientAddress(bytes: [192, 0, 2, 2])
        #expect((0..<3).map { _ in admission.admit(a) } == [.admitted, .admitted, .admitted])
        #expect(admission.admit(a) == .overClientCap)
        #expect(admission.admit(b) == .admitted && admission.admit(b) == .admitted)
        #expect(admission.admit(b) == .overTotalCap)
        for _ in 0..<100 { _ = admission.admit(a) }
        #expect(admission.refusedConnections == 102)
        #expect(warnings.lines.withLock { $0.count } == 1, "one warning per interval, not one per refusal")
        #expect(warnings.lines.withLock { $0.first }?.contains("192.0.2.1") == true)
        admission.release(a)
        #expect(admission.openConnections == 4 && admission.openConnections(from: a) == 2)
        #expect(warnings.lines.withLock { $0.count } == 1)
        // Once the interval has passed, the next close reports what the first warning did not.
        try await Task.sleep(for: .milliseconds(400))
        admission.release(b)
        #expect(warnings.lines.withLock { $0.count } == 2)
        #expect(warnings.lines.withLock { $0.last }?.contains("101 since the last warning") == true, "\(warnings.lines.withLock { $0 })")
        #expect(admission.admit(b) == .admitted)
    }

    @Test func anIPv6ClientIsItsSlash64AndAMappedIPv4ItsIPv4() throws {
        let first = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2::10", port: 1))
        let second = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2:ffff::99", port: 2))
        let elsewhere = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:3::10", port: 1))
        #expect(first == second && first != elsewhere)
        #expect(first.description == "2001:db8:1:2::/64")
        #expect(
            ClientAddress(try SocketAddress(ipAddress: "::ffff:198.51.100.7", port: 1))
                == ClientAddress(try SocketAddress(ipAddress: "198.51.100.7", port: 1)))
        #expect(ClientAddress(nil).description == "unknown")
    }

    @Test func aTrustedProxyIsHeldOnlyToTheTotalCap() throws {
        let admission = ConnectionAdmission(
            limits: .init(total: 20, perClient: 2), proxies: try TrustedProxies(parsing: "127.0.0.1, 2001:db8::/48"),
            logger: Logger(label: "test"))
        let proxy = ClientAddress(bytes: [127, 0, 0, 1])
        let other = ClientAddress(bytes: [127, 0, 0, 2])
        let proxy6 = ClientAddress(bytes: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1])
        #expect((0..<5).map { _ in admission.admit(proxy) } == Array(repeating: .admitted, count: 5))
        #expect((0..<3).map { _ in admission.admit(proxy6) } == Array(repeating: .admitted, count: 3))
        #expect([admission.admit(other), admission.admit(other), admission.admit(other)] == [.admitted, .admitted, .overClientCap])
        #expect((0..<10).map { _ in admission.admit(proxy) } == Array(repeating: .admitted, count: 10))
        #expect(admission.admit(proxy) == .overTotalCap, "the total cap still holds")
    }
}

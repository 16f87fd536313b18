import Foundation
import HummingbirdTesting
import Testing

@testable import Patrol
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseServer
@testable import PulseSupport

/// Certificate expiry of configured instances, read from a real TLS server (a test `pulse`
/// serving a one-day certificate made by openssl), and patrol's detector on it.
@Suite("Instance certificates")
struct InstanceCertificateTests {
    @Test func theExpiryOfAConfiguredInstancesCertificateIsReadAndReportedAsCritical() async throws {
        try await TestCertificate.withTLSServer { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let folder = TestServer.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let database = try PulseDatabase(path: folder.appendingPathComponent("pulse.db").path)
                let box = try SecretBox.loadOrCreate(path: folder.appendingPathComponent(".encryption.key").path, sealedSecretsExist: false)
                let store = try ProxmoxInstanceStore(database: database, box: box)
                _ = try await store.add(
                    ProxmoxInstance(id: "", type: .pve, name: "lab", host: "https://127.0.0.1:\(port)", user: "root@pam", verifySSL: false),
                    credentials: ProxmoxCredentials(password: "unused", tokenValue: nil))
                _ = try await store.add(
                    ProxmoxInstance(id: "", type: .pve, name: "gone", host: "https://127.0.0.1:1", user: "root@pam", verifySSL: false),
                    credentials: ProxmoxCredentials(password: "unused", tokenValue: nil))
                let started = Date()
                let expiries = await InstanceCertificates(store: store).expiries()
                #expect(expiries.map(\.instance) == ["lab"], "an instance that does not answer is left out")
                let notAfter = try #require(expiries.first?.notAfter)
                // openssl -days 1: valid for a day from when the test made it.
                #expect(notAfter > started.addingTimeInterval(86_400 - 600) && notAfter <= started.addingTimeInterval(86_400 + 60))

                var inputs = PatrolInputs(now: started)
                inputs.certificates = await PatrolCertificates(reader: InstanceCertificates(store: store)).certificates()
                let found = PatrolThresholds().detectors.first { $0.name == "certificate_expiry" }!.detect(inputs, memory: PatrolMemory())
                #expect(found.map(\.resourceId) == ["lab"])
                #expect(found.first?.severity == .critical)
            }
        }
    }

    @Test func utcAndGeneralizedTimesAreRead() {
        #expect(DERCertificate.time(tag: 0x17, text: "491231235959Z") == Date(timeIntervalSince1970: 2_524_607_999))
        #expect(DERCertificate.time(tag: 0x17, text: "500101000000Z") == Date(timeIntervalSince1970: -631_152_000))
        #expect(DERCertificate.time(tag: 0x18, text: "20500101000000Z") == Date(timeIntervalSince1970: 2_524_608_000))
        #expect(DERCertificate.time(tag: 0x17, text: "5001010000Z") == nil)
        #expect(DERCertificate.time(tag: 0x18, text: "2050010100000+0100") == nil)
    }
}

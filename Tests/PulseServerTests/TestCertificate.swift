import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// A self-signed certificate for 127.0.0.1 made with openssl, for servers that serve TLS in tests.
enum TestCertificate {
    /// Writes `cert.pem` and `key.pem` into `folder`; returns their paths.
    static func make(in folder: URL) async throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let made = try await ChildProcess.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate,
                "-days", "1", "-subj", "/CN=127.0.0.1",
            ], mergingErrors: true)
        try #require(made.status == 0, "\(made.text)")
        return (certificate, key)
    }

    /// A test server serving TLS with a fresh certificate (removed afterwards); `configure`
    /// adds to the configuration.
    static func withTLSServer(
        configure: @escaping (inout PulseServer.ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try await make(in: folder)
        try await TestServer.with(
            configure: {
                $0.tlsCertificateFile = certificate
                $0.tlsKeyFile = key
                configure(&$0)
            }, body)
    }
}

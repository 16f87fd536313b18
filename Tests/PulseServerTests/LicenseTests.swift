import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// `/api/license/*`: nothing is gated; a key is stored only when signed with the configured key.
@Suite("License")
struct LicenseTests {
    static let key = Curve25519.Signing.PrivateKey()

    static func document(
        holder: String = "Example Ltd", expires: Date? = Date(timeIntervalSince1970: 1_750_000_000 + 30 * 86_400),
        signedWith key: Curve25519.Signing.PrivateKey = key
    ) throws -> String {
        try LicenseDocument.sign(
            .init(licenseId: "lic-1", holder: holder, email: "ops@example.com", tier: "pro", issuedAt: nil, expiresAt: expires), with: key)
    }

    static func withLicensing(publicKey: Bool = true, _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Void) async throws {
        try await TestServer.with(configure: {
            if publicKey { $0.patrol.licensePublicKey = key.publicKey.rawRepresentation.base64EncodedString() }
        }) { server, client in try await body(server, client) }
    }

    static func activate(_ client: any TestClientProtocol, _ key: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/license/activate", method: .post, headers: [.apiToken: TestServer.adminToken, .contentType: "application/json"],
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["license_key": key])))
    }

    static func field(_ response: TestResponse) -> String? {
        ((try? response.jsonObject())?["details"] as? [String: String])?["field"]
    }

    @Test func aDocumentSignedWithTheConfiguredKeyIsStoredWithItsHolderAndExpiryUntilCleared() async throws {
        try await Self.withLicensing { server, client in
            let before = try await client.execute(uri: "/api/license/status", method: .get, headers: .token(TestServer.adminToken)) {
                try $0.jsonObject()
            }
            #expect(before["has_license"] as? Bool == false && before["gated"] as? Bool == false)
            #expect((before["features"] as? [String])?.contains("ai_patrol") == true)

            let activated = try await Self.activate(client, try Self.document())
            #expect(activated.status == .ok, "\(activated.text)")
            let status = try #require(try activated.jsonObject()["status"] as? [String: Any])
            #expect(status["holder"] as? String == "Example Ltd")
            #expect(status["expires_at"] as? String == "2025-07-15T15:06:40Z")
            #expect(status["days_remaining"] as? Int == 30)

            // Kept across a restart of the store (read back from the database, checked again).
            let reopened = try LicenseStore(database: server.dependencies.database, publicKey: Self.key.publicKey, time: server.time)
            #expect(await reopened.status().holder == "Example Ltd")

            let cleared = try await client.execute(uri: "/api/license/clear", method: .post, headers: .token(TestServer.adminToken)) {
                try $0.jsonObject()
            }
            #expect((cleared["status"] as? [String: Any])?["has_license"] as? Bool == false)
            let after = try LicenseStore(database: server.dependencies.database, publicKey: Self.key.publicKey, time: server.time)
            #expect(await after.status().hasLicense == false)
        }
    }

    @Test func aTamperedDocumentOneSignedWithAnotherKeyAndAnExpiredOneAreRefusedNamingTheField() async throws {
        try await Self.withLicensing { _, client in
            let genuine = try Self.document()
            let parts = genuine.split(separator: ".")
            let claims = try JSONSerialization.jsonObject(with: try #require(LicenseDocument.base64URLDecode(parts[0]))) as? [String: Any]
            var changed = try #require(claims)
            changed["holder"] = "Someone Else"
            let tampered = LicenseDocument.base64URLEncode(try JSONSerialization.data(withJSONObject: changed)) + "." + parts[1]
            for key in [
                tampered, try Self.document(signedWith: Curve25519.Signing.PrivateKey()), try Self.document(expires: Date(timeIntervalSince1970: 1)),
                "not a license", "",
            ] {
                let response = try await Self.activate(client, key)
                #expect(response.status == .badRequest, "\(key): \(response.text)")
                #expect(Self.field(response) == "license_key")
            }
            let status = try await client.execute(uri: "/api/license/status", method: .get, headers: .token(TestServer.adminToken)) {
                try $0.jsonObject()
            }
            #expect(status["has_license"] as? Bool == false)
        }
    }

    @Test func withoutAConfiguredKeyNoLicenseIsAcceptedAndEveryFeatureIsStillAvailable() async throws {
        try await Self.withLicensing(publicKey: false) { server, client in
            let response = try await Self.activate(client, try Self.document())
            #expect(response.status == .badRequest)
            #expect(Self.field(response) == "license_key")
            let reader = try await server.token(scopes: ["monitoring:read"])
            let features = try await client.execute(uri: "/api/license/features", method: .get, headers: .token(reader)) { try $0.jsonObject() }
            let available = try #require(features["features"] as? [String: Bool])
            #expect(!available.isEmpty && available.values.allSatisfy { $0 })
            #expect(features["license_status"] as? String == "none")
        }
    }

    @Test func aPublicKeyThatIsNotAnEd25519KeyStopsTheServer() throws {
        #expect(throws: (any Error).self) {
            try PulseCommandTesting.resolve(["PULSE_LICENSE_PUBLIC_KEY": "c2hvcnQ="])
        }
        let configuration = try PulseCommandTesting.resolve([
            "PULSE_LICENSE_PUBLIC_KEY": Self.key.publicKey.rawRepresentation.base64EncodedString(), "PULSE_PATROL_INTERVAL": "0",
            "PULSE_PATROL_BACKUP_MAX_AGE_HOURS": "48",
        ])
        #expect(configuration.patrol.interval == nil)
        // A PEM public key, as for PULSE_UPDATE_PUBLIC_KEY, names the same key.
        let pem = AgentSigningKey.pem(publicKey: Self.key.publicKey.rawRepresentation)
        #expect(LicenseDocument.publicKey(from: pem)?.rawRepresentation == Self.key.publicKey.rawRepresentation)
        #expect(configuration.patrol.backupMaxAge == 48 * 3600)
        #expect(throws: (any Error).self) { try PulseCommandTesting.resolve(["PULSE_PATROL_INTERVAL": "-5"]) }
    }
}

/// Resolves the server's configuration from environment variables alone, as `pulse` does at start.
enum PulseCommandTesting {
    static func resolve(_ environment: [String: String]) throws -> ServerConfiguration {
        try ServerOptions.parse([]).resolve(environment: environment)
    }
}

import Crypto
import Foundation
import JWTKit
import Testing

@testable import PulseAPI
@testable import PulseSupport

/// ID tokens signed with ES256 (P-256), which oidc-provider-mock does not issue: keys made here
/// with swift-crypto, tokens signed as RFC 7515 says (the signature is r‖s over `header.payload`).
@Suite("Single sign-on: ES256 ID tokens")
struct ES256IDTokenTests {
    static let issuer = "https://idp.example"
    static let nonce = "nonce-4b1f"

    /// A P-256 key's public half as a JWKS entry.
    static func jwk(_ key: P256.Signing.PrivateKey, kid: String) throws -> JWK {
        let point = key.publicKey.rawRepresentation  // x ‖ y, 32 bytes each
        let json =
            #"{"kty":"EC","crv":"P-256","use":"sig","kid":"\#(kid)","x":"\#(Base64URL.encode(point.prefix(32)))","y":"\#(Base64URL.encode(point.suffix(32)))"}"#
        return try JSONDecoder().decode(JWK.self, from: Data(json.utf8))
    }

    static func token(signedBy key: P256.Signing.PrivateKey, kid: String, claims: [String: Any]) throws -> String {
        let header = Base64URL.encode(Data(#"{"alg":"ES256","typ":"JWT","kid":"\#(kid)"}"#.utf8))
        let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
        let signature = try key.signature(for: Data("\(header).\(payload)".utf8)).rawRepresentation
        return "\(header).\(payload).\(Base64URL.encode(signature))"
    }

    static func claims(now: Date, audience: String = "pulse") -> [String: Any] {
        [
            "iss": issuer, "aud": audience, "sub": "alice", "nonce": nonce,
            "iat": Int(now.timeIntervalSince1970), "exp": Int(now.timeIntervalSince1970) + 300,
        ]
    }

    @Test func aGenuineES256TokenIsAcceptedAndAForgedOneRefused() async throws {
        let key = P256.Signing.PrivateKey()
        let keys = [try Self.jwk(key, kid: "ec-1")]
        let verifier = IDTokenVerifier(issuer: Self.issuer, clientID: "pulse")
        let now = Date()
        let claims = try await verifier.verify(
            try Self.token(signedBy: key, kid: "ec-1", claims: Self.claims(now: now)), keys: keys, nonce: Self.nonce, now: now)
        #expect(claims["sub"] == .string("alice"))

        // Another key's signature under the published key's ID.
        let impostor = try Self.token(signedBy: P256.Signing.PrivateKey(), kid: "ec-1", claims: Self.claims(now: now))
        await #expect(throws: IDTokenVerifier.Failure.self) { try await verifier.verify(impostor, keys: keys, nonce: Self.nonce, now: now) }
        // The right key, the wrong audience.
        let foreign = try Self.token(signedBy: key, kid: "ec-1", claims: Self.claims(now: now, audience: "another-app"))
        await #expect(throws: IDTokenVerifier.Failure.self) { try await verifier.verify(foreign, keys: keys, nonce: Self.nonce, now: now) }
        // A key rotated in: an unknown kid asks for the key set to be read again.
        let rotated = P256.Signing.PrivateKey()
        do {
            _ = try await verifier.verify(
                try Self.token(signedBy: rotated, kid: "ec-2", claims: Self.claims(now: now)), keys: keys, nonce: Self.nonce, now: now)
            Issue.record("a token under an unpublished key was accepted")
        } catch let failure as IDTokenVerifier.Failure {
            #expect(failure.unknownKey)
        }
        let afterRotation = keys + [try Self.jwk(rotated, kid: "ec-2")]
        let fresh = try await verifier.verify(
            try Self.token(signedBy: rotated, kid: "ec-2", claims: Self.claims(now: now)), keys: afterRotation, nonce: Self.nonce, now: now)
        #expect(fresh["sub"] == .string("alice"))
    }
}

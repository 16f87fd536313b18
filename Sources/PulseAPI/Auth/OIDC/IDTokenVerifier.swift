package import AgentProtocol
package import Foundation
package import JWTKit
import PulseSupport

/// Checks an ID token the way OpenID Connect Core §3.1.3.7 asks: the signature against the
/// provider's published keys (RS256 or ES256 only), then issuer, audience, authorised party,
/// expiry, issue time and nonce. jwt-kit does the signature; the claims are checked here against
/// the server's clock.
package struct IDTokenVerifier: Sendable {
    /// Must equal `iss` exactly (the discovery document's `issuer`).
    package let issuer: String
    /// The only audience trusted; a token for anyone else, or for others besides, is refused.
    package let clientID: String
    /// Tolerated difference between the provider's clock and ours.
    package var leeway: TimeInterval = 60

    package init(issuer: String, clientID: String) {
        self.issuer = issuer
        self.clientID = clientID
    }

    /// Why a token is refused. The description goes to the audit log; it holds no token.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package let description: String
        /// The token names a key the key set lacks: fetch the keys again and retry once.
        package var unknownKey = false
    }

    /// The token's algorithm and key ID, read before anything is trusted.
    package struct Header: Decodable, Sendable {
        package let alg: String
        package let kid: String?
    }

    static let algorithms: [String: JWK.KeyType] = ["RS256": .rsa, "ES256": .ecdsa]

    /// The claims of `token` once every check passed.
    package func verify(_ token: String, keys: [JWK], nonce: String, now: Date) async throws -> [String: JSONValue] {
        let header = try Self.header(of: token)
        guard let keyType = Self.algorithms[header.alg] else {
            throw Failure(description: "signature algorithm \(header.alg) is not accepted (RS256 or ES256)")
        }
        let candidates = keys.filter { key in
            key.keyType == keyType && (key.algorithm == nil || key.algorithm?.rawValue == header.alg)
                && (keyType != .ecdsa || key.curve == .ecdsa(.p256))
        }
        let key: JWK?
        if let kid = header.kid {
            key = candidates.first { $0.keyIdentifier?.string == kid }
            guard key != nil else { throw Failure(description: "no published key has kid \(kid)", unknownKey: true) }
        } else {
            // Without a kid only an unambiguous key will do; none at all may mean the keys rotated.
            key = candidates.count == 1 ? candidates[0] : nil
            guard key != nil else {
                throw Failure(
                    description: "the token names no key and the key set has \(candidates.count) that fit", unknownKey: candidates.isEmpty)
            }
        }
        guard var key else { throw Failure(description: "no key") }
        // jwt-kit files keys by kid and falls back to its default key: one key, one collection.
        key.keyIdentifier = JWKIdentifier(string: "k")
        key.algorithm = JWK.Algorithm(rawValue: header.alg)
        let collection = JWTKeyCollection()
        let claims: RawClaims
        do {
            try await collection.add(jwk: key)
            claims = try await collection.verify(token, as: RawClaims.self)
        } catch {
            throw Failure(description: "signature verification failed (\(Self.summary(of: error)))")
        }
        try check(claims.values, nonce: nonce, now: now)
        return claims.values
    }

    private func check(_ claims: [String: JSONValue], nonce: String, now: Date) throws {
        guard case .string(let iss) = claims["iss"], iss == issuer else {
            throw Failure(description: "issuer \(Self.text(claims["iss"])) is not \(issuer)")
        }
        let audiences: [String]
        switch claims["aud"] {
        case .string(let single): audiences = [single]
        case .array(let items): audiences = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: audiences = []
        }
        guard audiences.contains(clientID) else { throw Failure(description: "audience \(audiences) does not include client \(clientID)") }
        guard audiences.allSatisfy({ $0 == clientID }) else { throw Failure(description: "audience \(audiences) names other clients too") }
        if let azp = claims["azp"], azp != .string(clientID) { throw Failure(description: "authorised party \(Self.text(azp)) is not \(clientID)") }
        guard case .number(let exp) = claims["exp"] else { throw Failure(description: "the token has no expiry") }
        guard now.timeIntervalSince1970 < exp + leeway else {
            throw Failure(description: "the token expired at \(Date(timeIntervalSince1970: exp))")
        }
        guard case .number(let iat) = claims["iat"], iat <= now.timeIntervalSince1970 + leeway else {
            throw Failure(description: "the token's issue time is missing or in the future")
        }
        if case .number(let nbf) = claims["nbf"], nbf > now.timeIntervalSince1970 + leeway {
            throw Failure(description: "the token is not valid before \(Date(timeIntervalSince1970: nbf))")
        }
        guard case .string(let presented) = claims["nonce"], constantTimeEquals(Array(presented.utf8), Array(nonce.utf8)) else {
            throw Failure(description: "the nonce is missing or not the one this login sent")
        }
        guard case .string(let subject) = claims["sub"], !subject.isEmpty else { throw Failure(description: "the token has no subject") }
    }

    /// The token's header, decoded without trusting it.
    package static func header(of token: String) throws -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode(Header.self, from: data)
        else { throw Failure(description: "the ID token is not a signed JWT") }
        return header
    }

    private static func text(_ value: JSONValue?) -> String {
        if case .string(let text) = value { return text }
        return "(none)"
    }

    private static func summary(of error: any Error) -> String {
        String(String(describing: error).prefix(200))
    }
}

/// Every claim of a token as JSON values; jwt-kit checks the signature, `IDTokenVerifier` the claims.
struct RawClaims: JWTPayload {
    let values: [String: JSONValue]

    init(from decoder: any Decoder) throws {
        values = try [String: JSONValue](from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Base64 with the URL alphabet and no padding (RFC 7515 §2).
package enum Base64URL {
    package static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    package static func encode(_ data: some Sequence<UInt8>) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

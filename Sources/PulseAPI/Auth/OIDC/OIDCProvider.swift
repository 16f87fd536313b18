import CurlHTTP
import Foundation
package import JWTKit
package import PulseSupport

/// One OpenID Connect provider as the server talks to it over libcurl: its discovery document,
/// its signing keys and its token endpoint. Redirects are never followed and TLS is verified,
/// against the system's CAs plus `OIDC_CA_BUNDLE` when set.
///
/// Discovery is read once and kept for an hour; the keys are kept until a token names a key they
/// lack, then read again (at most every 10 seconds, so a stream of bad tokens cannot turn the
/// server into a load generator against the provider).
package actor OIDCProvider {
    /// The parts of `/.well-known/openid-configuration` the flow uses.
    package struct Discovery: Decodable, Sendable {
        package let issuer: String
        package let authorizationEndpoint: String
        package let tokenEndpoint: String
        package let jwksURI: String
        package let endSessionEndpoint: String?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case endSessionEndpoint = "end_session_endpoint"
        }
    }

    /// A request to the provider failed; the description is for the audit log and never holds a
    /// secret or a token.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package let issuer: String
    private let client: CurlClient
    private let time: any TimeSource
    private var discovery: (value: Discovery, readAt: Date)?
    private var keys: (value: [JWK], readAt: Date)?

    static let discoveryLifetime: TimeInterval = 3600
    static let keyRefreshInterval: TimeInterval = 10
    static let maximumReplyBytes = 512 * 1024

    /// `caBundle`: a PEM file of further CAs to trust, or "".
    package init(issuer: String, caBundle: String, time: any TimeSource) throws {
        self.issuer = issuer
        self.time = time
        var tls = TLSSettings()
        if !caBundle.isEmpty {
            guard let extra = FileManager.default.contents(atPath: caBundle) else {
                throw Failure(description: "OIDC CA bundle \(caBundle) cannot be read")
            }
            // libcurl's CA option replaces the system's list; the operator's CAs come on top of it.
            let system = Self.systemBundles.lazy.compactMap { FileManager.default.contents(atPath: $0) }.first ?? Data()
            tls.caCertificatePEM = Array(system) + Array("\n".utf8) + Array(extra)
        }
        client = CurlClient(
            userAgent: "Pulse/\(BuildInfo.version)", timeout: .seconds(15), connectTimeout: .seconds(5), tls: tls,
            maximumBodyBytes: Self.maximumReplyBytes)
    }

    static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]

    /// The discovery document, read again when older than an hour. Its `issuer` must be the
    /// configured one (a trailing slash aside), as OpenID Connect Discovery §4.3 requires.
    package func metadata() async throws -> Discovery {
        if let discovery, time.now().timeIntervalSince(discovery.readAt) < Self.discoveryLifetime { return discovery.value }
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let document: Discovery = try await getJSON(base + "/.well-known/openid-configuration", what: "discovery document")
        guard document.issuer == issuer || document.issuer == base || document.issuer == base + "/" else {
            throw Failure(description: "the discovery document names issuer \(document.issuer), not \(issuer)")
        }
        for endpoint in [document.authorizationEndpoint, document.tokenEndpoint, document.jwksURI] {
            guard let scheme = URL(string: endpoint)?.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
                throw Failure(description: "the discovery document's endpoint \(endpoint) is not an http(s) URL")
            }
        }
        discovery = (document, time.now())
        return document
    }

    /// The provider's signing keys; `refresh` reads them again (a token named an unknown key)
    /// unless they were read moments ago. Keys of a kind jwt-kit cannot read are skipped.
    package func signingKeys(refresh: Bool = false) async throws -> [JWK] {
        if let keys, !refresh || time.now().timeIntervalSince(keys.readAt) < Self.keyRefreshInterval { return keys.value }
        let url = try await metadata().jwksURI
        let reply = try await get(url, what: "key set")
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any], let list = object["keys"] as? [Any] else {
            throw Failure(description: "the key set at \(url) is not a JWKS document")
        }
        let decoded = list.compactMap { item -> JWK? in
            guard let data = try? JSONSerialization.data(withJSONObject: item) else { return nil }
            return try? JSONDecoder().decode(JWK.self, from: data)
        }
        keys = (decoded, time.now())
        return decoded
    }

    /// Trades an authorization code for the ID token (RFC 6749 §4.1.3 with PKCE's verifier).
    /// With a secret the client authenticates with HTTP Basic (`client_secret_basic`, the
    /// default of OpenID Connect), else it is a public client naming itself in the body.
    package func idToken(
        code: String, codeVerifier: String, redirectURI: String, clientID: String, clientSecret: String?
    ) async throws -> String {
        let endpoint = try await metadata().tokenEndpoint
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", codeVerifier)]
        var headers = ["Content-Type: application/x-www-form-urlencoded", "Accept: application/json"]
        if let clientSecret, !clientSecret.isEmpty {
            let pair = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(clientSecret)
            headers.append("Authorization: Basic " + Data(pair.utf8).base64EncodedString())
        } else {
            form.append(("client_id", clientID))
        }
        let reply: HTTPReply
        do {
            reply = try await client.post(endpoint, headers: headers, body: Array(FormEncoding.encode(form).utf8))
        } catch {
            throw Failure(description: "the token endpoint could not be reached: \(error)")
        }
        let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        guard reply.status == 200 else {
            let reason = (object?["error"] as? String).map { String($0.prefix(100)) } ?? "no error code"
            throw Failure(description: "the token endpoint answered \(reply.status) (\(reason))")
        }
        guard let idToken = object?["id_token"] as? String, !idToken.isEmpty else {
            throw Failure(description: "the token endpoint's answer holds no id_token")
        }
        return idToken
    }

    private func getJSON<T: Decodable>(_ url: String, what: String) async throws -> T {
        let body = try await get(url, what: what)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw Failure(description: "the \(what) at \(url) could not be read: \(error)")
        }
    }

    private func get(_ url: String, what: String) async throws -> [UInt8] {
        let reply: HTTPReply
        do {
            reply = try await client.get(url, headers: ["Accept: application/json"])
        } catch {
            throw Failure(description: "the \(what) at \(url) could not be fetched: \(error)")
        }
        guard reply.status == 200 else { throw Failure(description: "the \(what) at \(url) answered \(reply.status)") }
        return reply.body
    }
}

/// `application/x-www-form-urlencoded` and query strings.
package enum FormEncoding {
    /// Unreserved characters (RFC 3986) stay; everything else is percent-encoded.
    package static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    package static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}

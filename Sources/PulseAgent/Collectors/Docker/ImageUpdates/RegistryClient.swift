import AgentProtocol
import CurlHTTP

/// Why a registry could not say which digest a tag points at; the text is what the server shows.
struct RegistryCheckError: Error, Equatable, Sendable, CustomStringConvertible {
    var description: String

    static func unreachable(_ detail: String) -> Self { Self(description: "registry unreachable: \(detail)") }
    static let authRequired = Self(description: "auth required (401)")
    static let rateLimited = Self(description: "rate limited (429)")
}

/// Asks for the digest a tag points at now; what it throws is a `RegistryCheckError`.
protocol RegistryLookup: Sendable {
    func latestDigest(of reference: ImageReference) async throws -> String
}

/// Registry HTTP API v2 through libcurl: `HEAD /v2/<name>/manifests/<tag>` with the manifest
/// list, OCI index and single-manifest media types accepted, its `Docker-Content-Digest` the
/// answer. A 401 with a Bearer challenge is answered with an anonymous token from the
/// challenge's realm, then the HEAD is repeated once.
///
/// Registries are reached over HTTPS, with the certificate verified. As Docker does by default,
/// a registry on a loopback address (`localhost`, `127.0.0.0/8`) counts as insecure: HTTPS is
/// tried first, and plain HTTP when the TLS connection fails. Redirects are never followed.
struct RegistryClient: RegistryLookup {
    var curl: CurlClient

    static let manifestTypes = [
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    ]

    init(curl: CurlClient = CurlClient(userAgent: PulseAgentCommand.userAgent, timeout: .seconds(15), connectTimeout: .seconds(5))) {
        var curl = curl
        curl.maximumBodyBytes = 64 * 1024  // a token reply; manifests are only HEADed
        self.curl = curl
    }

    /// Whether plain HTTP may be used for `reference`'s registry (Docker's default insecure rule).
    static func isLoopback(_ reference: ImageReference) -> Bool {
        let host = reference.hostName.lowercased()
        if host == "localhost" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    func latestDigest(of reference: ImageReference) async throws -> String {
        let insecure = Self.isLoopback(reference)
        do {
            return try await latestDigest(of: reference, scheme: "https", allowPlainHTTP: insecure)
        } catch let error as RegistryCheckError where insecure && error.description.hasPrefix("registry unreachable") {
            return try await latestDigest(of: reference, scheme: "http", allowPlainHTTP: true)
        }
    }

    private func latestDigest(of reference: ImageReference, scheme: String, allowPlainHTTP: Bool) async throws -> String {
        let url = "\(scheme)://\(reference.apiHost)/v2/\(reference.repository)/manifests/\(reference.tag)"
        let accept = "Accept: " + Self.manifestTypes.joined(separator: ", ")
        var reply = try await send(url, headers: [accept])
        if reply.status == 401 {
            guard let challenge = reply.headers["www-authenticate"].flatMap(BearerChallenge.init(header:)),
                let tokenURL = challenge.tokenURL(repository: reference.repository, allowPlainHTTP: allowPlainHTTP)
            else { throw RegistryCheckError.authRequired }
            let token = try await anonymousToken(tokenURL)
            reply = try await send(url, headers: [accept, "Authorization: Bearer \(token)"])
        }
        switch reply.status {
        case 200..<300:
            guard let digest = reply.headers["docker-content-digest"], Self.isDigest(digest) else {
                throw RegistryCheckError(description: "registry sent no digest")
            }
            return digest
        case 401, 403: throw RegistryCheckError.authRequired
        case 404: throw RegistryCheckError(description: "tag not found (404)")
        case 429: throw RegistryCheckError.rateLimited
        default: throw RegistryCheckError(description: "registry answered \(reply.status)")
        }
    }

    private func send(_ url: String, headers: [String]) async throws -> HTTPReply {
        do {
            return try await curl.head(url, headers: headers)
        } catch {
            throw RegistryCheckError.unreachable("\(error)")
        }
    }

    private struct TokenReply: Decodable {
        var token: String?
        var accessToken: String?
        enum CodingKeys: String, CodingKey { case token, accessToken = "access_token" }
    }

    private func anonymousToken(_ url: String) async throws -> String {
        let reply: HTTPReply
        do {
            reply = try await curl.get(url, headers: ["Accept: application/json"])
        } catch {
            throw RegistryCheckError(description: "token service unreachable: \(error)")
        }
        switch reply.status {
        case 200..<300: break
        case 429: throw RegistryCheckError.rateLimited
        default: throw RegistryCheckError(description: "token service answered \(reply.status)")
        }
        guard let decoded = try? AgentJSONDecoder().decode(TokenReply.self, from: reply.body),
            let token = decoded.token ?? decoded.accessToken, !token.isEmpty, token.utf8.count <= 16_384,
            token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw RegistryCheckError(description: "token service sent no token") }
        return token
    }

    /// `algorithm:hex`, e.g. `sha256:` and 64 hex digits.
    static func isDigest(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 32, text.utf8.count <= 200 else { return false }
        return parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+._-".contains($0)) }
            && parts[1].allSatisfy { $0.isHexDigit && ($0.isNumber || $0.isLowercase) }
    }
}

import Crypto
import CurlHTTP
import Foundation
import PulseSupport

/// `ProxmoxClient` over libcurl for one configured instance.
///
/// - Token auth sends `Authorization: <Scheme>=user@realm!name=secret` on every request.
/// - Password auth logs in at `/access/ticket` and sends the ticket cookie; a 401 logs in again
///   once, and tickets are renewed after an hour (Proxmox's last two).
/// - TLS: verified against the system CAs by default; `verifySSL: false` turns verification
///   off for this instance only; a pinned `fingerprint` (SHA-256 of the certificate, as the
///   Proxmox GUI shows it) is checked on a handshake that sends nothing, and its public key is
///   then pinned for the real requests, so credentials never reach another certificate.
/// - Redirects are never followed (CurlClient).
package actor ProxmoxHTTPClient: ProxmoxClient {
    private let target: ProxmoxTarget
    private var curl: CurlClient
    private var ticket: (cookie: String, csrf: String, issued: Date)?
    private var pinVerified = false

    static let ticketLifetime: TimeInterval = 3600

    package init(target: ProxmoxTarget, timeout: Duration = .seconds(10)) {
        self.target = target
        var tls = TLSSettings()
        if !target.instance.verifySSL || target.instance.fingerprint != nil { tls.insecure = true }
        curl = CurlClient(
            userAgent: "pulse/\(BuildInfo.version)", timeout: timeout, connectTimeout: .seconds(5), tls: tls,
            connections: CurlConnections(limit: 2))
    }

    private var baseURL: String { target.instance.host + "/api2/json" }

    package func get<T: Decodable & Sendable>(_ path: String, as type: T.Type) async throws -> T {
        try await ensurePinnedKey()
        var reply = try await send(path, headers: try await authHeaders())
        if reply.status == 401, target.credentials.tokenValue == nil {
            ticket = nil
            reply = try await send(path, headers: try await authHeaders())
        }
        guard (200..<300).contains(reply.status) else {
            throw ProxmoxError.fromStatus(reply.status, path: path, message: Self.message(in: reply))
        }
        do {
            return try JSONDecoder().decode(DataEnvelope<T>.self, from: Data(reply.body)).data
        } catch {
            throw ProxmoxError(category: .transient, description: "GET \(path): unreadable reply (\(error))", status: reply.status)
        }
    }

    private func send(_ path: String, headers: [String]) async throws -> HTTPReply {
        do {
            return try await curl.get(baseURL + path, headers: headers)
        } catch let error as TransportError {
            throw ProxmoxError(category: Self.isCertificateProblem(error) ? .permanent : .transient, description: "GET \(path): \(error.description)")
        }
    }

    private func authHeaders() async throws -> [String] {
        let instance = target.instance
        if let secret = target.credentials.tokenValue, !secret.isEmpty {
            let name = instance.tokenName ?? ""
            let tokenID = name.contains("!") ? name : "\(instance.user)!\(name)"
            return ["Authorization: \(instance.type.tokenScheme)=\(tokenID)\(instance.type.tokenSeparator)\(secret)"]
        }
        if let ticket, Date().timeIntervalSince(ticket.issued) < Self.ticketLifetime {
            return ["Cookie: \(instance.type.ticketCookie)=\(ticket.cookie)"]
        }
        let login = try await logIn()
        ticket = (login.ticket, login.csrf, Date())
        return ["Cookie: \(instance.type.ticketCookie)=\(login.ticket)"]
    }

    private func logIn() async throws -> (ticket: String, csrf: String) {
        let form = "username=\(Self.formEncode(target.instance.user))&password=\(Self.formEncode(target.credentials.password ?? ""))"
        let reply: HTTPReply
        do {
            reply = try await curl.post(
                baseURL + "/access/ticket", headers: ["Content-Type: application/x-www-form-urlencoded"], body: Array(form.utf8))
        } catch let error as TransportError {
            throw ProxmoxError(category: Self.isCertificateProblem(error) ? .permanent : .transient, description: "login: \(error.description)")
        }
        guard reply.status == 200, let login = try? JSONDecoder().decode(DataEnvelope<TicketReply>.self, from: Data(reply.body)).data else {
            let error = ProxmoxError.fromStatus(reply.status, path: "/access/ticket", message: Self.message(in: reply))
            // A wrong password is a 401 from the ticket endpoint: permanent until reconfigured.
            throw reply.status == 401 || reply.status == 200
                ? ProxmoxError(
                    category: .permanent, description: "login failed for \(target.instance.user): authentication failure", status: reply.status)
                : error
        }
        return (login.ticket, login.CSRFPreventionToken ?? "")
    }

    /// With a pinned fingerprint: reads the certificate once, checks its SHA-256, and pins its
    /// public key for every later request.
    private func ensurePinnedKey() async throws {
        guard let expected = target.instance.fingerprint, !pinVerified else { return }
        let der: [UInt8]
        do {
            der = try await curl.serverCertificate(target.instance.host)
        } catch let error as TransportError {
            throw ProxmoxError(category: .transient, description: "TLS handshake: \(error.description)")
        }
        let actual = CertificateFingerprint.sha256(der)
        guard CertificateFingerprint.normalise(expected) == actual else {
            throw ProxmoxError(category: .permanent, description: "certificate fingerprint mismatch: the server presents \(actual)")
        }
        guard let publicKey = DERCertificate.subjectPublicKeyInfo(der) else {
            throw ProxmoxError(category: .permanent, description: "the server's certificate could not be parsed")
        }
        curl.tls.pinnedPublicKey = "sha256//" + Data(SHA256.hash(data: publicKey)).base64EncodedString()
        pinVerified = true
    }

    private static func isCertificateProblem(_ error: TransportError) -> Bool {
        let text = error.description.lowercased()
        return text.contains("certificate") || text.contains("ssl peer") || text.contains("public key")
    }

    private static func message(in reply: HTTPReply) -> String {
        if let envelope = try? JSONDecoder().decode(MessageEnvelope.self, from: Data(reply.body)), let message = envelope.message {
            return message.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return String(decoding: reply.body.prefix(200), as: UTF8.self)
    }

    private static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private struct DataEnvelope<T: Decodable>: Decodable { let data: T }
    private struct MessageEnvelope: Decodable { let message: String? }
    private struct TicketReply: Decodable {
        let ticket: String
        let CSRFPreventionToken: String?
    }
}

/// SHA-256 certificate fingerprints in the `AA:BB:…` form Proxmox shows.
package enum CertificateFingerprint {
    package static func sha256(_ der: [UInt8]) -> String {
        normalise(SHA256.hash(data: der).hexString)
    }

    /// Upper case with colons, whatever separators or case the user typed.
    static func normalise(_ text: String) -> String {
        let hex = text.uppercased().filter { $0.isHexDigit }
        var pairs: [String] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            pairs.append(String(hex[index..<next]))
            index = next
        }
        return pairs.joined(separator: ":")
    }
}

import Crypto
import CurlHTTP
import Foundation

/// Asks one address and port whether a Proxmox server answers there, without credentials.
///
/// A TLS handshake that sends nothing reads the certificate (its SHA-256 is the fingerprint);
/// then `GET /` reads the login page (`ProxmoxLoginPage`), over a connection pinned to that
/// certificate's public key, so the page and the fingerprint come from the same server.
/// Certificate verification is off for these two requests only: self-signed certificates are
/// the norm, no credential is sent, and nothing is trusted beyond what the page says. Redirects
/// are not followed (`CurlClient`).
package struct DiscoveryProbe: Sendable {
    /// TCP connect plus TLS handshake: an address where nothing answers costs this much.
    package var connectTimeout: Duration = .seconds(1)
    /// The whole page request.
    package var timeout: Duration = .seconds(3)
    /// A login page is about 3 KB; anything past this is not one.
    static let pageLimit = 64 * 1024

    package init(connectTimeout: Duration = .seconds(1), timeout: Duration = .seconds(3)) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// The server at `address:port`, or nil when nothing answers TLS there or the answer is not
    /// a Proxmox login page.
    package func probe(address: String, port: Int) async -> DiscoveredServer? {
        let url = "https://\(address):\(port)/"
        var curl = CurlClient(
            userAgent: "pulse-discovery", timeout: timeout, connectTimeout: connectTimeout, tls: TLSSettings(insecure: true),
            maximumBodyBytes: Self.pageLimit)
        guard let certificate = try? await curl.serverCertificate(url), let publicKey = DERCertificate.subjectPublicKeyInfo(certificate)
        else { return nil }
        curl.tls.pinnedPublicKey = "sha256//" + Data(SHA256.hash(data: publicKey)).base64EncodedString()
        guard let reply = try? await curl.get(url, headers: ["Accept: text/html"]), reply.status == 200,
            let page = ProxmoxLoginPage(html: reply.body)
        else { return nil }
        return DiscoveredServer(
            host: address, port: port, type: page.product, name: page.nodeName, version: page.version,
            fingerprint: CertificateFingerprint.sha256(certificate))
    }
}

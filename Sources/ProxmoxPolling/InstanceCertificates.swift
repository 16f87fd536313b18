import CurlHTTP
package import Foundation
import PulseSupport

/// The TLS certificates of the configured Proxmox instances and when they expire, read from a
/// handshake that sends no request and no credential (as a pinned fingerprint is checked). The
/// pollers do not keep the peer certificate, so patrol asks here.
package struct InstanceCertificates: Sendable {
    /// One instance's certificate.
    package struct Expiry: Sendable, Equatable {
        package var instance: String
        package var host: String
        package var notAfter: Date
    }

    package let store: ProxmoxInstanceStore
    /// Handshakes at once.
    package var concurrency = 8

    package init(store: ProxmoxInstanceStore) {
        self.store = store
    }

    /// Every HTTPS instance whose certificate could be read; one that does not answer is left out.
    package func expiries() async -> [Expiry] {
        let targets = await store.all().map(\.instance).filter { $0.host.lowercased().hasPrefix("https://") }
        let curl = CurlClient(
            userAgent: "pulse/\(BuildInfo.version)", timeout: .seconds(10), connectTimeout: .seconds(5), tls: TLSSettings(insecure: true))
        return await withTaskGroup(of: Expiry?.self) { group in
            var results: [Expiry] = []
            var pending = targets[...]
            func start() {
                guard let instance = pending.popFirst() else { return }
                group.addTask {
                    guard let der = try? await curl.serverCertificate(instance.host), let notAfter = DERCertificate.notAfter(der) else {
                        return nil
                    }
                    return Expiry(instance: instance.name, host: instance.host, notAfter: notAfter)
                }
            }
            for _ in 0..<concurrency { start() }
            for await result in group {
                if let result { results.append(result) }
                start()
            }
            return results.sorted { $0.instance < $1.instance }
        }
    }
}

/// A Proxmox server a discovery scan found, as its unauthenticated answers describe it.
package struct DiscoveredServer: Sendable, Equatable, Codable {
    /// The IPv4 address it answered on.
    package var host: String
    package var port: Int
    package var type: ProxmoxProduct
    /// The node name its login page shows ("" when the page names none).
    package var name: String
    /// The version its login page gives away: PVE's and PMG's pages load their GUI scripts with
    /// `?ver=<version>`; PBS tells its version only to a logged-in user, so nil there.
    package var version: String?
    /// SHA-256 of the certificate it presented, `AA:BB:…` (what `fingerprint` of an instance pins).
    package var fingerprint: String

    package init(host: String, port: Int, type: ProxmoxProduct, name: String, version: String?, fingerprint: String) {
        self.host = host
        self.port = port
        self.type = type
        self.name = name
        self.version = version
        self.fingerprint = fingerprint
    }
}

import Foundation
import PulseSupport

/// What the login page of a Proxmox product says about the server without a login.
///
/// Every product serves its web GUI's start page at `/` to anyone, titled
/// `<node name> - <product name>` (pve-manager `www/index.html.tpl`, pmg-gui
/// `pmg-index.html.tt`, proxmox-backup `www/index.hbs`). The page is how the three are told
/// apart: the API answers 401 to every unauthenticated call on all of them, PVE and PMG share the
/// same HTTP server (`Server: pve-api-daemon/3.0`) and port 8006, and PMG's self-signed
/// certificate names only the host (`CN=<node>`), where PVE's and PBS's name the product.
struct ProxmoxLoginPage: Equatable {
    let product: ProxmoxProduct
    let nodeName: String
    let version: String?

    private static let titles: [(suffix: String, product: ProxmoxProduct)] = [
        (" - Proxmox Virtual Environment", .pve), (" - Proxmox Mail Gateway", .pmg), (" - Proxmox Backup Server", .pbs),
    ]

    /// The GUI script each page loads with `?ver=<version>` (PVE: pve-manager's version, PMG: pmg-gui's).
    private static let versionedScripts: [ProxmoxProduct: String] = [.pve: "pvemanagerlib.js?ver=", .pmg: "pmgmanagerlib.js?ver="]

    init(product: ProxmoxProduct, nodeName: String, version: String?) {
        self.product = product
        self.nodeName = nodeName
        self.version = version
    }

    /// Reads a page; nil unless its title names one of the three products.
    init?(html: [UInt8]) {
        let text = String(decoding: html, as: UTF8.self)
        guard let open = text.range(of: "<title>", options: .caseInsensitive),
            let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex)
        else { return nil }
        let title = text[open.upperBound..<close.lowerBound].trimmingWhitespace
        guard let match = Self.titles.first(where: { title.hasSuffix($0.suffix) }) else { return nil }
        product = match.product
        nodeName = Self.hostName(String(title.dropLast(match.suffix.count)))
        version = Self.versionedScripts[match.product].flatMap { Self.version(in: text, after: $0) }
    }

    /// A node name as a host name (letters, digits, `.`, `-`, `_`; 253 at most), else "".
    private static func hostName(_ text: String) -> String {
        let name = text.trimmingWhitespace
        let allowed = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2E || byte == 0x2D
                || byte == 0x5F
        }
        return allowed && name.utf8.count <= 253 ? name : ""
    }

    /// The version after `marker`: letters, digits, `.`, `-`, `+` and `~` (Debian versions), 32 at most.
    private static func version(in text: String, after marker: String) -> String? {
        guard let start = text.range(of: marker)?.upperBound else { return nil }
        let value = text[start...].prefix { character in
            character.isASCII && (character.isLetter || character.isNumber || ".-+~".contains(character))
        }
        return value.isEmpty || value.count > 32 ? nil : String(value)
    }
}

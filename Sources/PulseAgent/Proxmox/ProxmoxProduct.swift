import AgentProtocol

/// The Proxmox product on this machine that `--enable-proxmox` sets up.
enum ProxmoxProduct: String, Sendable, Equatable, CaseIterable {
    /// Proxmox VE, managed with `pveum`.
    case pve
    /// Proxmox Backup Server, managed with `proxmox-backup-manager`.
    case pbs

    /// The read-only user the monitoring token belongs to.
    var user: String { self == .pve ? "pulse-monitor@pam" : "pulse-monitor@pbs" }
    /// The program that manages users, ACLs and tokens.
    var tool: String { self == .pve ? "pveum" : "proxmox-backup-manager" }
    /// The program whose presence says the product is installed.
    var marker: String { self == .pve ? "pvesh" : "proxmox-backup-manager" }
    var apiPort: Int { self == .pve ? 8006 : 8007 }

    /// The products installed here (`find` looks a program up on PATH), PVE first.
    static func detect(find: (String) -> String?) -> [ProxmoxProduct] {
        allCases.filter { find($0.marker) != nil }
    }
}

/// The monitoring token's name and the argv of each step, for one product: every value placed
/// in an argv is either a constant here or a name checked by `isTokenName`.
struct ProxmoxMonitorAccount: Sendable, Equatable {
    let product: ProxmoxProduct
    /// `pulse-` and this host's name, lower-case letters, digits and dashes only.
    let tokenName: String

    init(product: ProxmoxProduct, hostname: String) {
        self.product = product
        var slug = ""
        for character in hostname.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(character) || ("0"..."9").contains(character)
            if keep {
                slug.unicodeScalars.append(character)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        slug = String(slug.prefix(40))
        while slug.hasSuffix("-") { slug.removeLast() }
        tokenName = "pulse-" + (slug.isEmpty ? "agent" : slug)
    }

    /// `user@realm!name`, as the server stores it.
    var tokenID: String { "\(product.user)!\(tokenName)" }

    /// Whether `name` is one this type makes: a letter first, then letters, digits and dashes.
    static func isTokenName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Creates the user (a failure means it exists) and grants it read-only access.
    var prepareSteps: [[String]] {
        switch product {
        case .pve:
            [
                ["user", "add", product.user, "--comment", "Pulse monitoring (read-only)"],
                ["aclmod", "/", "-user", product.user, "-role", "PVEAuditor"],
            ]
        case .pbs:
            [["user", "create", product.user], ["acl", "update", "/", "Audit", "--auth-id", product.user]]
        }
    }

    /// Creates the token; prints JSON with its secret in `value`.
    var createToken: [String] {
        switch product {
        case .pve: ["user", "token", "add", product.user, tokenName, "--privsep", "0", "--output-format", "json"]
        case .pbs: ["user", "generate-token", product.user, tokenName, "--output-format", "json"]
        }
    }

    /// Removes the token (before creating it again when its secret was lost).
    var removeToken: [String] {
        switch product {
        case .pve: ["user", "token", "remove", product.user, tokenName]
        case .pbs: ["user", "delete-token", product.user, tokenName]
        }
    }

    /// Steps after the token exists: PBS tokens carry their own ACL.
    var afterTokenSteps: [[String]] {
        product == .pbs ? [["acl", "update", "/", "Audit", "--auth-id", tokenID]] : []
    }

    /// The secret in a token-creation reply (`{"value": "…"}`), if it looks like one.
    static func secret(inReply output: [UInt8]) -> String? {
        struct Reply: Decodable { let value: String }
        guard let start = output.firstIndex(of: UInt8(ascii: "{")),
            let reply = try? AgentJSONDecoder().decode(Reply.self, from: Array(output[start...]))
        else { return nil }
        let value = reply.value
        let valid =
            !value.isEmpty && value.count <= 128
            && value.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        return valid ? value : nil
    }
}

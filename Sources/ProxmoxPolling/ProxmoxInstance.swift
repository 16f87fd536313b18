import Foundation

/// The three Proxmox products Pulse polls.
package enum ProxmoxProduct: String, Codable, Sendable, CaseIterable {
    case pve, pbs, pmg

    /// The API's default port.
    package var defaultPort: Int {
        switch self {
        case .pve: 8006
        case .pbs: 8007
        case .pmg: 8006
        }
    }

    /// The `Authorization` scheme of an API token (`PVEAPIToken=user@realm!name=secret`).
    var tokenScheme: String {
        switch self {
        case .pve: "PVEAPIToken"
        case .pbs: "PBSAPIToken"
        case .pmg: "PMGAPIToken"
        }
    }

    /// Between token ID and secret: PVE writes `=`, PBS and PMG `:`.
    var tokenSeparator: String { self == .pve ? "=" : ":" }

    /// Seconds between polls unless configured (Pulse: PVE 10 s, PBS and PMG 60 s).
    var defaultPollingInterval: TimeInterval { self == .pve ? 10 : 60 }

    /// The ticket cookie of a password login.
    var ticketCookie: String {
        switch self {
        case .pve: "PVEAuthCookie"
        case .pbs: "PBSAuthCookie"
        case .pmg: "PMGAuthCookie"
        }
    }
}

/// One configured Proxmox endpoint (`/api/config/nodes`), without its secrets.
package struct ProxmoxInstance: Codable, Sendable, Equatable {
    /// `<type>-<n>`, never reused after a delete.
    package var id: String
    package var type: ProxmoxProduct
    /// The instance name: `connectionHealth` key and the first part of node/guest IDs.
    package var name: String
    /// `https://host:port`, normalised.
    package var host: String
    /// `user@realm`, for password logins and as the token's user.
    package var user: String
    /// The token's name (`user@realm!name`), when token auth is used.
    package var tokenName: String?
    /// SHA-256 of the server certificate (`AA:BB:…`), pinned when set.
    package var fingerprint: String?
    package var verifySSL: Bool
    package var monitorVMs = true
    package var monitorContainers = true
    package var monitorStorage = true
    package var monitorBackups = true
    package var monitorPhysicalDisks = true
    /// PVE only: the cluster as last refreshed (`refresh-cluster`); nil until then or for a single node.
    package var cluster: PVECluster? = nil

    /// Every stored property, in declaration order (for the modules that build this value); all monitored by default.
    package init(
        id: String, type: ProxmoxProduct, name: String, host: String, user: String, tokenName: String? = nil, fingerprint: String? = nil,
        verifySSL: Bool = true, monitorVMs: Bool = true, monitorContainers: Bool = true, monitorStorage: Bool = true, monitorBackups: Bool = true,
        monitorPhysicalDisks: Bool = true
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.host = host
        self.user = user
        self.tokenName = tokenName
        self.fingerprint = fingerprint
        self.verifySSL = verifySSL
        self.monitorVMs = monitorVMs
        self.monitorContainers = monitorContainers
        self.monitorStorage = monitorStorage
        self.monitorBackups = monitorBackups
        self.monitorPhysicalDisks = monitorPhysicalDisks
    }
}

/// The secrets of one instance, stored sealed and never returned by the API.
package struct ProxmoxCredentials: Codable, Sendable, Equatable {
    package var password: String?
    package var tokenValue: String?

    package var isEmpty: Bool { (password ?? "").isEmpty && (tokenValue ?? "").isEmpty }
}

/// An instance with its secrets: what a poller needs.
package struct ProxmoxTarget: Sendable, Equatable {
    package var instance: ProxmoxInstance
    package var credentials: ProxmoxCredentials
}

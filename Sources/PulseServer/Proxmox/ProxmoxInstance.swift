import Foundation

/// The three Proxmox products Pulse polls.
enum ProxmoxProduct: String, Codable, Sendable, CaseIterable {
    case pve, pbs, pmg

    /// The API's default port.
    var defaultPort: Int {
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
struct ProxmoxInstance: Codable, Sendable, Equatable {
    /// `<type>-<n>`, never reused after a delete.
    var id: String
    var type: ProxmoxProduct
    /// The instance name: `connectionHealth` key and the first part of node/guest IDs.
    var name: String
    /// `https://host:port`, normalised.
    var host: String
    /// `user@realm`, for password logins and as the token's user.
    var user: String
    /// The token's name (`user@realm!name`), when token auth is used.
    var tokenName: String?
    /// SHA-256 of the server certificate (`AA:BB:…`), pinned when set.
    var fingerprint: String?
    var verifySSL: Bool
    var monitorVMs = true
    var monitorContainers = true
    var monitorStorage = true
    var monitorBackups = true
    var monitorPhysicalDisks = true
}

/// The secrets of one instance, stored sealed and never returned by the API.
struct ProxmoxCredentials: Codable, Sendable, Equatable {
    var password: String?
    var tokenValue: String?

    var isEmpty: Bool { (password ?? "").isEmpty && (tokenValue ?? "").isEmpty }
}

/// An instance with its secrets: what a poller needs.
struct ProxmoxTarget: Sendable, Equatable {
    var instance: ProxmoxInstance
    var credentials: ProxmoxCredentials
}

import Foundation
import PulseSupport

/// The body of `POST/PUT /api/config/nodes` and the connection tests, as Pulse clients send it.
package struct ProxmoxInstanceInput: Decodable, Sendable {
    package var type: String?
    package var name: String?
    package var host: String?
    package var user: String?
    package var password: String?
    package var tokenName: String?
    package var tokenValue: String?
    package var fingerprint: String?
    package var verifySSL: Bool?
    package var monitorVMs: Bool?
    package var monitorContainers: Bool?
    package var monitorStorage: Bool?
    package var monitorBackups: Bool?
    package var monitorPhysicalDisks: Bool?

    /// A complete target from this input over `existing` (PUT keeps what is omitted, secrets
    /// included); every problem is a 400 naming the field.
    package func target(over existing: ProxmoxTarget?) throws -> ProxmoxTarget {
        guard let type = ProxmoxProduct(rawValue: (type ?? existing?.instance.type.rawValue ?? "").lowercased()) else {
            throw DomainError.invalid("type must be pve, pbs or pmg", field: "type")
        }
        let host = try Self.normalisedHost(host ?? existing?.instance.host, type: type)
        let name = (name ?? existing?.instance.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let resolvedName = name.isEmpty ? (URL(string: host)?.host ?? host) : name
        guard resolvedName.count <= 64, resolvedName.allSatisfy({ $0.isLetter || $0.isNumber || "-_. ".contains($0) }) else {
            throw DomainError.invalid("name must be at most 64 letters, digits, spaces, '-', '_' or '.'", field: "name")
        }
        var credentials = existing?.credentials ?? ProxmoxCredentials()
        if let password, !password.isEmpty { credentials = ProxmoxCredentials(password: password, tokenValue: nil) }
        if let tokenValue, !tokenValue.isEmpty { credentials = ProxmoxCredentials(password: nil, tokenValue: tokenValue) }
        let tokenName = (tokenName ?? existing?.instance.tokenName).flatMap { $0.isEmpty ? nil : $0 }
        var user = (user ?? existing?.instance.user ?? "").trimmingCharacters(in: .whitespaces)
        if user.isEmpty, let tokenName, let bang = tokenName.firstIndex(of: "!") { user = String(tokenName[..<bang]) }
        guard user.contains("@"), !user.hasPrefix("@"), !user.hasSuffix("@") else {
            throw DomainError.invalid("user must be user@realm (for example root@pam or pulse@pve)", field: "user")
        }
        guard !credentials.isEmpty else {
            throw DomainError.invalid(
                "give a password, or a tokenName and tokenValue", field: credentials.tokenValue == nil ? "password" : "tokenValue")
        }
        if credentials.tokenValue != nil, tokenName == nil {
            throw DomainError.invalid("tokenName is required with tokenValue", field: "tokenName")
        }
        var fingerprint = (fingerprint ?? existing?.instance.fingerprint).flatMap { $0.isEmpty ? nil : CertificateFingerprint.normalise($0) }
        if let value = fingerprint, value.count != 95 {
            throw DomainError.invalid("fingerprint must be a SHA-256 fingerprint (32 hex bytes)", field: "fingerprint")
        }
        if fingerprint?.isEmpty == true { fingerprint = nil }
        let previous = existing?.instance
        var instance = ProxmoxInstance(
            id: previous?.id ?? "", type: type, name: resolvedName, host: host, user: user,
            tokenName: credentials.tokenValue == nil ? nil : tokenName, fingerprint: fingerprint,
            verifySSL: verifySSL ?? previous?.verifySSL ?? true,
            monitorVMs: monitorVMs ?? previous?.monitorVMs ?? true,
            monitorContainers: monitorContainers ?? previous?.monitorContainers ?? true,
            monitorStorage: monitorStorage ?? previous?.monitorStorage ?? true,
            monitorBackups: monitorBackups ?? previous?.monitorBackups ?? true,
            monitorPhysicalDisks: monitorPhysicalDisks ?? previous?.monitorPhysicalDisks ?? true)
        // What was learnt about the cluster holds while the instance points at the same host.
        instance.cluster = previous?.host == host ? previous?.cluster : nil
        return ProxmoxTarget(instance: instance, credentials: credentials)
    }

    /// `https://host:port` from `host`, `host:port` or an https URL (`HostAddress`'s grammar);
    /// refuses plain HTTP (credentials would travel in clear).
    package static func normalisedHost(_ raw: String?, type: ProxmoxProduct) throws -> String {
        let address = try HostAddress.parse(raw, field: "host")
        guard address.scheme != .http else {
            throw InvalidField("host", "host must use https: Proxmox APIs are served over TLS")
        }
        return "https://\(address.host):\(address.port ?? type.defaultPort)"
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        type: String? = nil, name: String? = nil, host: String? = nil, user: String? = nil, password: String? = nil, tokenName: String? = nil,
        tokenValue: String? = nil, fingerprint: String? = nil, verifySSL: Bool? = nil, monitorVMs: Bool? = nil, monitorContainers: Bool? = nil,
        monitorStorage: Bool? = nil, monitorBackups: Bool? = nil, monitorPhysicalDisks: Bool? = nil
    ) {
        self.type = type
        self.name = name
        self.host = host
        self.user = user
        self.password = password
        self.tokenName = tokenName
        self.tokenValue = tokenValue
        self.fingerprint = fingerprint
        self.verifySSL = verifySSL
        self.monitorVMs = monitorVMs
        self.monitorContainers = monitorContainers
        self.monitorStorage = monitorStorage
        self.monitorBackups = monitorBackups
        self.monitorPhysicalDisks = monitorPhysicalDisks
    }
}

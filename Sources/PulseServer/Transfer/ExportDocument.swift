import Foundation

/// The JSON inside an export bundle, in Pulse's shape (`version` 4.1): Proxmox instances with
/// their credentials (Pulse writes these with Go's field names, so PascalCase), the alert
/// configuration, and the notification settings (email, webhooks, Apprise, with their secrets).
/// Login secrets and API tokens are never exported.
struct ExportDocument: Codable, Sendable {
    var version = "4.1"
    var exportedAt: Date
    var nodes: Nodes
    var alerts: AlertConfiguration?
    var email: EmailConfig?
    var webhooks: [Webhook]?
    var apprise: AppriseConfig?
    /// Pulse-Swift only: which private ranges notifications may reach.
    var notificationSettings: NotificationSettings?

    struct Nodes: Codable, Sendable {
        var pveInstances: [Instance] = []
        var pbsInstances: [Instance] = []
        var pmgInstances: [Instance] = []
    }

    struct Instance: Codable, Sendable {
        var name: String
        var host: String
        var user: String
        var password: String?
        var tokenName: String?
        var tokenValue: String?
        var fingerprint: String?
        var verifySSL: Bool
        var monitorVMs: Bool?
        var monitorContainers: Bool?
        var monitorStorage: Bool?
        var monitorBackups: Bool?
        var monitorPhysicalDisks: Bool?

        enum CodingKeys: String, CodingKey {
            case name = "Name", host = "Host", user = "User", password = "Password", tokenName = "TokenName"
            case tokenValue = "TokenValue", fingerprint = "Fingerprint", verifySSL = "VerifySSL", monitorVMs = "MonitorVMs"
            case monitorContainers = "MonitorContainers", monitorStorage = "MonitorStorage", monitorBackups = "MonitorBackups"
            case monitorPhysicalDisks = "MonitorPhysicalDisks"
        }

        init(_ target: ProxmoxTarget) {
            let instance = target.instance
            name = instance.name
            host = instance.host
            user = instance.user
            password = target.credentials.password
            tokenName = instance.tokenName
            tokenValue = target.credentials.tokenValue
            fingerprint = instance.fingerprint
            verifySSL = instance.verifySSL
            monitorVMs = instance.monitorVMs
            monitorContainers = instance.monitorContainers
            monitorStorage = instance.monitorStorage
            monitorBackups = instance.monitorBackups
            monitorPhysicalDisks = instance.monitorPhysicalDisks
        }

        /// Validated exactly as the node API validates a new instance.
        func target(type: ProxmoxProduct) throws -> ProxmoxTarget {
            try ProxmoxInstanceInput(
                type: type.rawValue, name: name, host: host, user: user, password: password, tokenName: tokenName,
                tokenValue: tokenValue, fingerprint: fingerprint, verifySSL: verifySSL, monitorVMs: monitorVMs,
                monitorContainers: monitorContainers, monitorStorage: monitorStorage, monitorBackups: monitorBackups,
                monitorPhysicalDisks: monitorPhysicalDisks
            ).target(over: nil)
        }
    }

    /// Every instance as a validated target; the first problem names the instance.
    func targets() throws -> [ProxmoxTarget] {
        var targets: [ProxmoxTarget] = []
        for (type, list) in [(ProxmoxProduct.pve, nodes.pveInstances), (.pbs, nodes.pbsInstances), (.pmg, nodes.pmgInstances)] {
            for instance in list {
                do {
                    targets.append(try instance.target(type: type))
                } catch let error as DomainError {
                    throw DomainError.invalid("Instance \(instance.name) in the export: \(error.message)", field: "data")
                }
            }
        }
        return targets
    }
}

package import Alerting
import Foundation
package import Notifications
package import ProxmoxPolling
package import PulseCore
import PulseSupport

/// The JSON inside an export bundle, in Pulse's shape (`version` 4.1): Proxmox instances with
/// their credentials (Pulse writes these with Go's field names, so PascalCase), the alert
/// configuration, and the notification settings (email, webhooks, Apprise, with their secrets).
/// Login secrets and API tokens are never exported.
package struct ExportDocument: Codable, Sendable {
    package var version = "4.1"
    var exportedAt: Date
    package var nodes: Nodes
    package var alerts: AlertConfiguration?
    package var email: EmailConfig?
    package var webhooks: [Webhook]?
    package var apprise: AppriseConfig?
    /// Pulse-Swift only: which private ranges notifications may reach.
    var notificationSettings: NotificationSettings?
    /// The run-time system settings (Pulse's `system`).
    var system: SystemSettings?
    /// User metadata by ID: guests under Pulse's key, the other kinds Pulse-Swift only.
    var guestMetadata: [String: ResourceMetadata]?
    var hostMetadata: [String: ResourceMetadata]?
    var dockerMetadata: [String: ResourceMetadata]?
    var dockerHostMetadata: [String: ResourceMetadata]?

    package struct Nodes: Codable, Sendable {
        package var pveInstances: [Instance] = []
        package var pbsInstances: [Instance] = []
        package var pmgInstances: [Instance] = []
    }

    package struct Instance: Codable, Sendable {
        package var name: String
        package var host: String
        package var user: String
        package var password: String?
        package var tokenName: String?
        package var tokenValue: String?
        package var fingerprint: String?
        package var verifySSL: Bool
        package var monitorVMs: Bool?
        package var monitorContainers: Bool?
        package var monitorStorage: Bool?
        package var monitorBackups: Bool?
        package var monitorPhysicalDisks: Bool?

        package enum CodingKeys: String, CodingKey {
            case name = "Name", host = "Host", user = "User", password = "Password", tokenName = "TokenName"
            case tokenValue = "TokenValue", fingerprint = "Fingerprint", verifySSL = "VerifySSL", monitorVMs = "MonitorVMs"
            case monitorContainers = "MonitorContainers", monitorStorage = "MonitorStorage", monitorBackups = "MonitorBackups"
            case monitorPhysicalDisks = "MonitorPhysicalDisks"
        }

        package init(_ target: ProxmoxTarget) {
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
        package func target(type: ProxmoxProduct) throws -> ProxmoxTarget {
            try ProxmoxInstanceInput(
                type: type.rawValue, name: name, host: host, user: user, password: password, tokenName: tokenName,
                tokenValue: tokenValue, fingerprint: fingerprint, verifySSL: verifySSL, monitorVMs: monitorVMs,
                monitorContainers: monitorContainers, monitorStorage: monitorStorage, monitorBackups: monitorBackups,
                monitorPhysicalDisks: monitorPhysicalDisks
            ).target(over: nil)
        }
    }

    /// Every instance as a validated target; the first problem names the instance.
    package func targets() throws -> [ProxmoxTarget] {
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

extension ExportDocument {
    /// The metadata of every kind, or nil when the document carries none.
    var metadata: [MetadataKind: [String: ResourceMetadata]]? {
        get {
            let kinds: [(MetadataKind, [String: ResourceMetadata]?)] = [
                (.guest, guestMetadata), (.host, hostMetadata), (.docker, dockerMetadata), (.dockerHost, dockerHostMetadata),
            ]
            guard kinds.contains(where: { $0.1 != nil }) else { return nil }
            return Dictionary(uniqueKeysWithValues: kinds.map { ($0.0, $0.1 ?? [:]) })
        }
        set {
            guestMetadata = newValue?[.guest]
            hostMetadata = newValue?[.host]
            dockerMetadata = newValue?[.docker]
            dockerHostMetadata = newValue?[.dockerHost]
        }
    }

    /// The imported metadata, each record checked as a `PUT` body is; throws naming the field.
    func validatedMetadata() throws -> [MetadataKind: [String: ResourceMetadata]]? {
        try metadata?.mapValues { records in
            var valid: [String: ResourceMetadata] = [:]
            for (id, record) in records {
                let update = MetadataUpdate(customUrl: record.customUrl, description: record.description, tags: record.tags, notes: record.notes)
                var checked = try update.record(id: id)
                checked.lastKnownName = record.lastKnownName
                checked.lastKnownType = record.lastKnownType
                if !checked.isEmpty { valid[checked.id] = checked }
            }
            return valid
        }
    }
}

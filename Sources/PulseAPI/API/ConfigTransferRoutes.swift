import AgentJSONFoundation
import AgentProtocol
package import Alerting
import Foundation
import Hummingbird
import Logging
package import Notifications
package import Persistence
package import ProxmoxPolling
package import PulseCore
package import PulseSupport

/// `POST /api/config/export` and `/api/config/import`: the configuration as one passphrase-
/// sealed bundle (see `ExportCipher`, `ExportDocument`). Rate-limited to 5 per 5 minutes per
/// client (`RateLimitCategory.export`).
///
/// Both need `settings:write`: the bundle carries the Proxmox credentials.
package struct ConfigTransferRoutes {
    package let store: ProxmoxInstanceStore
    package let alerts: AlertEngine
    package let notifications: NotificationConfigStore
    package let audit: AuditLog
    package let time: any TimeSource
    package let state: MonitoringState
    package let metadata: MetadataTable
    /// The system settings: the ones in force, and how an imported set is put in force.
    package let systemSettings: SystemSettingsRoutes

    static let bodyLimit = 8 * 1024 * 1024

    package struct ExportRequest: Decodable { let passphrase: String }
    package struct ImportRequest: Decodable {
        package let data: String
        let passphrase: String
    }
    package struct ExportReply: Encodable, Sendable {
        package var status = "success"
        package var data: String
    }
    package struct ImportReply: Encodable, Sendable {
        package var status = "success"
        package var message: String
        package var nodes: Int
    }

    package func register(on routes: ScopedRouter) {
        routes.post("/api/config/export", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(ExportRequest.self, limit: 16 * 1024)
            try Self.checkPassphrase(body.passphrase)
            let targets = await store.all()
            var document = ExportDocument(
                exportedAt: time.now(),
                nodes: .init(
                    pveInstances: targets.filter { $0.instance.type == .pve }.map(ExportDocument.Instance.init),
                    pbsInstances: targets.filter { $0.instance.type == .pbs }.map(ExportDocument.Instance.init),
                    pmgInstances: targets.filter { $0.instance.type == .pmg }.map(ExportDocument.Instance.init)),
                alerts: await alerts.configuration)
            let notificationConfig = await notifications.config
            document.email = notificationConfig.email
            document.webhooks = notificationConfig.webhooks
            document.apprise = notificationConfig.apprise
            document.notificationSettings = notificationConfig.settings
            document.metadata = await state.allMetadata()
            document.system = systemSettings.live.current
            let sealed = try ExportCipher.seal(try JSONBody.makeEncoder().encode(document), passphrase: body.passphrase)
            audit.record("config_export", actor: context.authentication.actor, ip: context.clientIP, details: "\(targets.count) instances")
            return JSONResponse(ExportReply(data: sealed))
        }

        routes.post("/api/config/import", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(ImportRequest.self, limit: Self.bodyLimit)
            try Self.checkPassphrase(body.passphrase)
            let document = try Self.open(body)
            // Everything is validated before anything changes.
            let targets = try document.targets()
            try document.alerts?.validate()
            let importedMetadata = try document.validatedMetadata()
            // Keys a flag or variable fixes keep their value; the others take the import's.
            let importedSettings = document.system.map { imported in
                var merged = imported
                let current = systemSettings.live.current
                for key in systemSettings.live.locked { merged.copy(key, from: current) }
                return merged
            }
            try await replaceInstances(with: targets)
            if let importedSettings {
                try await systemSettings.putInForce(importedSettings)
            }
            if let importedMetadata {
                try metadata.replaceAll(importedMetadata)
                await state.loadMetadata(importedMetadata)
            }
            if let configuration = document.alerts { await alerts.update(configuration, at: time.now()) }
            if document.email != nil || document.webhooks != nil || document.apprise != nil || document.notificationSettings != nil {
                _ = try await notifications.update { config in
                    if let email = document.email { config.email = email }
                    if let webhooks = document.webhooks { config.webhooks = webhooks }
                    if let apprise = document.apprise { config.apprise = apprise }
                    if let settings = document.notificationSettings { config.settings = settings }
                }
            }
            audit.record("config_import", actor: context.authentication.actor, ip: context.clientIP, details: "\(targets.count) instances")
            context.logger.notice("configuration imported", metadata: ["instances": "\(targets.count)"])
            return JSONResponse(ImportReply(message: "Configuration imported", nodes: targets.count))
        }
    }

    static func checkPassphrase(_ passphrase: String) throws {
        guard passphrase.count >= ExportCipher.minimumPassphraseLength else {
            throw APIError.badRequest("passphrase must be at least \(ExportCipher.minimumPassphraseLength) characters", field: "passphrase")
        }
    }

    private static func open(_ body: ImportRequest) throws -> ExportDocument {
        let plaintext: Data
        do {
            plaintext = try ExportCipher.open(body.data, passphrase: body.passphrase)
        } catch {
            throw APIError.badRequest(
                "The passphrase does not open this export (or the data is damaged)", code: .invalidPassphrase, field: "passphrase")
        }
        do {
            // Pulse writes Go's RFC 3339 times (nanoseconds); the agent-format decoder reads them.
            return try AgentJSON.makeDecoder().decode(ExportDocument.self, from: plaintext)
        } catch let error as DecodingError {
            throw APIError.badRequest("The export's content is not readable: \(DecodingErrorDescription.describe(error))", field: "data")
        }
    }

    /// Instances with the same type and name keep their IDs (and so their history); the others
    /// are added, and instances absent from the export removed.
    private func replaceInstances(with targets: [ProxmoxTarget]) async throws {
        let existing = await store.all()
        var kept: Set<String> = []
        for var target in targets {
            if let match = existing.first(where: { $0.instance.type == target.instance.type && $0.instance.name == target.instance.name }) {
                target.instance.id = match.instance.id
                try await store.update(target)
                kept.insert(match.instance.id)
            } else {
                _ = try await store.add(target.instance, credentials: target.credentials)
            }
        }
        for old in existing where !kept.contains(old.instance.id) {
            _ = try await store.remove(id: old.instance.id)
        }
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        store: ProxmoxInstanceStore, alerts: AlertEngine, notifications: NotificationConfigStore, audit: AuditLog, time: any TimeSource,
        state: MonitoringState, metadata: MetadataTable, systemSettings: SystemSettingsRoutes
    ) {
        self.store = store
        self.alerts = alerts
        self.notifications = notifications
        self.audit = audit
        self.time = time
        self.state = state
        self.metadata = metadata
        self.systemSettings = systemSettings
    }
}

import AgentProtocol
import Foundation
import Hummingbird
package import Persistence
package import PulseCore

/// The system settings that change at run time:
///
/// - `GET /api/system/settings`, `GET /api/config/system` (`settings:read`): every key and
///   `envOverrides` (the keys a flag or environment variable fixes, each `true`);
/// - `POST /api/system/settings/update`, `PUT /api/config/system` (`settings:write`): the keys
///   present change; a bad value → 400 naming the field, a locked key → 409, and then nothing
///   changes.
///
/// A change is stored, then put in force (`LiveSettings`), then `applied` tells the services
/// that hold a copy (poll intervals, metrics retention, log level).
package struct SystemSettingsRoutes {
    package let live: LiveSettings
    package let documents: NamedDocuments
    package let audit: AuditLog
    package let applied: @Sendable (SystemSettings) async -> Void

    /// The document name the settings are stored under.
    package static let documentName = "system"

    package init(
        live: LiveSettings, documents: NamedDocuments, audit: AuditLog, applied: @escaping @Sendable (SystemSettings) async -> Void
    ) {
        self.live = live
        self.documents = documents
        self.audit = audit
        self.applied = applied
    }

    /// The settings and which keys are locked, as Pulse answers.
    package struct Reply: Encodable, Sendable {
        let settings: SystemSettings
        let locked: Set<String>

        package init(settings: SystemSettings, locked: Set<String>) {
            self.settings = settings
            self.locked = locked
        }

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        package func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(Dictionary(uniqueKeysWithValues: locked.map { ($0, true) }), forKey: Key(stringValue: "envOverrides"))
        }
    }

    package func register(on routes: ScopedRouter) {
        for path in ["/api/system/settings", "/api/config/system"] {
            routes.get(path, access: .scope(.settingsRead)) { _, _ in
                JSONResponse(Reply(settings: live.current, locked: live.locked))
            }
        }
        routes.post("/api/system/settings/update", access: .scope(.settingsWrite)) { request, context in
            try await update(request, context)
        }
        routes.put("/api/config/system", access: .scope(.settingsWrite)) { request, context in
            try await update(request, context)
        }
    }

    /// Stores `settings`, makes them the ones in force and tells the services that hold a copy.
    package func putInForce(_ settings: SystemSettings) async throws {
        try documents.save(try JSONEncoder().encode(settings), as: Self.documentName)
        live.replace(with: settings)
        await applied(settings)
    }

    private func update(_ request: Request, _ context: PulseRequestContext) async throws -> JSONResponse<Reply> {
        var request = request
        let patch = try await request.decodeJSON(SystemSettingsPatch.self, limit: 64 * 1024)
        let current = live.current
        let updated = try patch.applied(to: current, locked: live.locked)
        try await putInForce(updated)
        let changed = SystemSettings.keys.filter { patch.values[$0] != nil }
        audit.record("settings_change", actor: context.authentication.actor, ip: context.clientIP, details: changed.joined(separator: ","))
        return JSONResponse(Reply(settings: updated, locked: live.locked))
    }
}

import AgentProtocol
import Foundation
import Hummingbird
package import Persistence
package import PulseCore
import PulseSupport

/// Each caller's dashboard preferences: `GET /api/settings`, `POST /api/settings/update`.
///
/// Kept per signed-in user (or per API token), so they are the caller's own: `monitoring:read`
/// is enough, a viewer included, and nobody reads or changes another's.
package struct UISettingsRoutes {
    package let documents: NamedDocuments
    /// The system settings in force: their dashboard defaults come with each reply.
    package let system: LiveSettings?

    package init(documents: NamedDocuments, system: LiveSettings? = nil) {
        self.documents = documents
        self.system = system
    }

    /// The caller's preferences, and beside them (`system`, read-only here) the defaults an admin
    /// set for everyone: the theme when the caller chose none, and full-width mode.
    struct Reply: Encodable {
        let settings: UISettings
        let system: SystemDefaults

        struct SystemDefaults: Encodable {
            let theme: String
            let fullWidthMode: Bool
        }

        private enum CodingKeys: String, CodingKey { case system }

        func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(system, forKey: .system)
        }
    }

    private func reply(_ settings: UISettings) -> Reply {
        let current = system?.current ?? SystemSettings()
        return Reply(settings: settings, system: .init(theme: current.theme, fullWidthMode: current.fullWidthMode))
    }

    /// Theme, start view, refresh interval and the columns shown per table.
    package struct UISettings: Codable, Sendable, Equatable {
        /// "", `light` or `dark` ("" follows the system).
        var theme = ""
        /// The view the dashboard opens with.
        var defaultView = "overview"
        /// Seconds between refreshes when live updates are off; 0: live.
        var refreshInterval = 0
        /// Per table, the columns shown, in order.
        var columns: [String: [String]] = [:]
    }

    static let views = ["overview", "proxmox", "hosts", "docker", "kubernetes", "storage", "alerts", "charts", "settings"]

    package func register(on routes: ScopedRouter) {
        routes.get("/api/settings", access: .scope(.monitoringRead)) { _, context in
            JSONResponse(reply(try load(Self.documentName(for: context.authentication))))
        }
        routes.post("/api/settings/update", access: .scope(.monitoringRead)) { request, context in
            var request = request
            let patch = try await request.decodeJSON([String: JSONValue].self, limit: 64 * 1024)
            let name = try Self.documentName(for: context.authentication)
            let updated = try Self.applied(patch, to: try load(name))
            try documents.save(try JSONEncoder().encode(updated), as: name)
            return JSONResponse(reply(updated))
        }
    }

    private func load(_ name: String) throws -> UISettings {
        try documents.loadAll()[name].map { try JSONDecoder().decode(UISettings.self, from: $0) } ?? UISettings()
    }

    /// `ui:user:<name>` or `ui:token:<id>`.
    static func documentName(for authentication: Authentication) throws -> String {
        switch authentication {
        case .user(let user): return "ui:user:\(user.name)"
        case .token(let record): return "ui:token:\(record.id)"
        case .anonymous, .rejectedToken, .rejectedProxySecret: throw APIError.authenticationRequired
        }
    }

    /// The keys present change after all are checked; a bad one throws naming it. Unknown keys are ignored.
    static func applied(_ patch: [String: JSONValue], to settings: UISettings) throws -> UISettings {
        var result = settings
        if let value = patch["theme"] {
            guard case .string(let theme) = value, ["", "light", "dark"].contains(theme) else {
                throw DomainError.invalid("theme must be \"\", light or dark", field: "theme")
            }
            result.theme = theme
        }
        if let value = patch["defaultView"] {
            guard case .string(let view) = value, views.contains(view) else {
                throw DomainError.invalid("defaultView must be one of \(views.joined(separator: ", "))", field: "defaultView")
            }
            result.defaultView = view
        }
        if let value = patch["refreshInterval"] {
            guard case .number(let number) = value, let seconds = Int(exactly: number), (0...3600).contains(seconds) else {
                throw DomainError.invalid("refreshInterval must be whole seconds from 0 to 3600", field: "refreshInterval")
            }
            result.refreshInterval = seconds
        }
        if let value = patch["columns"] { result.columns = try columns(value) }
        return result
    }

    private static func columns(_ value: JSONValue) throws -> [String: [String]] {
        let invalid = DomainError.invalid("columns must map up to 20 table names to up to 50 column names each", field: "columns")
        guard case .object(let tables) = value, tables.count <= 20 else { throw invalid }
        var result: [String: [String]] = [:]
        for (table, list) in tables {
            guard isName(table), case .array(let items) = list, items.count <= 50 else { throw invalid }
            result[table] = try items.map { item in
                guard case .string(let name) = item, isName(name) else { throw invalid }
                return name
            }
        }
        return result
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
    }
}

import Foundation
package import Persistence
package import PulseCore
package import PulseSupport
import Synchronization

/// The single sign-on settings in force, with the client secret beside them, and the keys a
/// flag or environment variable fixed (`OIDC_*`): those keep the configuration's value whatever
/// is stored, and the API may not change them.
///
/// The settings are a document in the `settingsDocument` table; the secret is sealed in the
/// secret store (`SecretBox`) and never leaves this type but to the token endpoint.
package final class LiveOIDCSettings: Sendable {
    /// What flags and variables set: the values, and the secret when `OIDC_CLIENT_SECRET` is set.
    package struct Fixed: Sendable {
        package var patch: OIDCSettingsPatch
        package var clientSecret: String?

        package init(patch: OIDCSettingsPatch = OIDCSettingsPatch(values: [:]), clientSecret: String? = nil) {
            self.patch = patch
            self.clientSecret = clientSecret
        }

        /// The keys fixed, `clientSecret` among them when set.
        package var locked: Set<String> {
            Set(patch.values.keys).union(clientSecret == nil ? [] : ["clientSecret"])
        }
    }

    private struct Current: Sendable {
        var settings: OIDCSettings
        var clientSecret: String?
    }

    package static let documentName = "oidc"
    package static let secretName = "oidc.clientSecret"

    private let current: Mutex<Current>
    package let locked: Set<String>
    private let documents: NamedDocuments
    private let secrets: SecretStore
    private let time: any TimeSource

    /// Loads what is stored and lays the fixed values over it.
    package init(documents: NamedDocuments, secrets: SecretStore, fixed: Fixed, time: any TimeSource) throws {
        var settings = try documents.loadAll()[Self.documentName].map { try JSONDecoder().decode(OIDCSettings.self, from: $0) } ?? OIDCSettings()
        settings = try fixed.patch.applied(to: settings, locked: [])
        let secret = try fixed.clientSecret ?? secrets.get(Self.secretName)
        current = Mutex(Current(settings: settings, clientSecret: secret))
        locked = fixed.locked
        self.documents = documents
        self.secrets = secrets
        self.time = time
    }

    package var settings: OIDCSettings { current.withLock { $0.settings } }
    package var clientSecretSet: Bool { current.withLock { !($0.clientSecret ?? "").isEmpty } }
    /// For the token request only.
    package var clientSecret: String? { current.withLock { $0.clientSecret } }

    /// Applies `patch` (checked against the locked keys and validated as a whole), stores it and
    /// puts it in force; nothing changes when it throws.
    @discardableResult
    package func update(_ patch: OIDCSettingsPatch) throws -> OIDCSettings {
        let updated = try patch.applied(to: settings, locked: locked)
        try updated.validate()
        try documents.save(try JSONEncoder().encode(updated), as: Self.documentName)
        var secret = clientSecret
        if patch.changesSecret {
            let new = patch.clearClientSecret ? "" : (patch.clientSecret ?? "")
            if new.isEmpty { try secrets.remove(Self.secretName) } else { try secrets.put(new, named: Self.secretName, at: time.now()) }
            secret = new.isEmpty ? nil : new
        }
        current.withLock { $0 = Current(settings: updated, clientSecret: secret) }
        return updated
    }
}

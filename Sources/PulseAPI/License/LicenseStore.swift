package import Crypto
package import Foundation
package import Persistence
package import PulseSupport

/// The activated license, if any, stored in `licenseDocument`. This build gates nothing: the
/// license only records who holds one and until when.
package actor LicenseStore {
    /// Every feature Pulse names; all are available here, licensed or not.
    package static let features = [
        "ai_patrol", "ai_alerts", "ai_autofix", "kubernetes_ai", "agent_profiles", "update_alerts", "sso", "advanced_sso", "rbac",
        "audit_logging", "advanced_reporting", "long_term_metrics", "relay", "mobile_app", "push_notifications", "external_probe",
        "multi_user", "white_label", "multi_tenant", "unlimited",
    ]

    private let documents: NamedDocuments
    /// The key licenses must be signed with; nil: none configured, every key is refused.
    private let publicKey: Curve25519.Signing.PublicKey?
    private let time: any TimeSource
    private var current: LicenseDocument.Claims?

    package init(database: PulseDatabase, publicKey: Curve25519.Signing.PublicKey?, time: any TimeSource) throws {
        documents = NamedDocuments(database: database, table: "licenseDocument")
        self.publicKey = publicKey
        self.time = time
        // A stored license is checked again: a changed public key or a past expiry no longer shows it.
        if let publicKey, let data = try documents.loadAll()["license"],
            let document = try? LicenseDocument(String(decoding: data, as: UTF8.self), publicKey: publicKey, now: time.now())
        {
            current = document.claims
        }
    }

    /// Stores `text` when it is a license signed with the configured key.
    /// - Throws: `DomainError` invalid naming `license_key`.
    package func activate(_ text: String) throws -> LicenseStatus {
        guard let publicKey else {
            throw DomainError.invalid(
                "license_key cannot be checked: no license public key is configured (PULSE_LICENSE_PUBLIC_KEY)", field: "license_key")
        }
        let document: LicenseDocument
        do {
            document = try LicenseDocument(text, publicKey: publicKey, now: time.now())
        } catch {
            throw DomainError.invalid(error.description, field: "license_key")
        }
        try documents.save(Data(document.text.utf8), as: "license")
        current = document.claims
        return status()
    }

    /// Removes the stored license.
    package func clear() throws -> LicenseStatus {
        try documents.delete(["license"])
        current = nil
        return status()
    }

    package func status() -> LicenseStatus {
        let now = time.now()
        var status = LicenseStatus(publicKeyConfigured: publicKey != nil)
        if let claims = current, claims.expiresAt.map({ $0 > now }) ?? true {
            status.hasLicense = true
            status.valid = true
            status.holder = claims.holder
            status.email = claims.email
            status.licenseId = claims.licenseId
            status.tier = claims.tier ?? "pro"
            status.expiresAt = claims.expiresAt
            status.isLifetime = claims.expiresAt == nil
            status.daysRemaining = claims.expiresAt.map { max(0, Int($0.timeIntervalSince(now) / 86_400)) } ?? 0
        }
        return status
    }
}

/// `GET /api/license/status`.
package struct LicenseStatus: Encodable, Sendable, Equatable {
    /// Always false: this build gates no feature.
    package var gated = false
    package var message = "This build gates no feature: every feature is available with or without a license."
    package var hasLicense = false
    package var valid = false
    package var holder: String?
    package var email: String?
    package var licenseId: String?
    package var tier = "community"
    package var expiresAt: Date?
    package var isLifetime = false
    package var daysRemaining = 0
    package var features = LicenseStore.features
    package var publicKeyConfigured: Bool

    enum CodingKeys: String, CodingKey {
        case gated, message, hasLicense = "has_license", valid, holder, email, licenseId = "license_id", tier
        case expiresAt = "expires_at", isLifetime = "is_lifetime", daysRemaining = "days_remaining", features
        case publicKeyConfigured = "public_key_configured"
    }

    init(publicKeyConfigured: Bool) {
        self.publicKeyConfigured = publicKeyConfigured
    }
}

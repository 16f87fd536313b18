import AgentProtocol
import Foundation
import Hummingbird

/// The license (`/api/license/*`). This build gates nothing: every feature is listed as
/// available and no route answers 402. Reading the status takes `settings:read`, the feature list
/// `monitoring:read` (any signed-in dashboard), activating and clearing `settings:write`.
package struct LicenseRoutes {
    package let store: LicenseStore
    package let audit: AuditLog

    package init(store: LicenseStore, audit: AuditLog) {
        self.store = store
        self.audit = audit
    }

    struct ActivateRequest: Decodable {
        let licenseKey: String?
        enum CodingKeys: String, CodingKey { case licenseKey = "license_key" }
    }

    struct ActivateReply: Encodable {
        let success = true
        let message: String
        let status: LicenseStatus
    }

    /// `GET /api/license/features`.
    struct Features: Encodable {
        let licenseStatus: String
        let features: [String: Bool]
        enum CodingKeys: String, CodingKey { case licenseStatus = "license_status", features }
    }

    package func register(on routes: ScopedRouter) {
        routes.get("/api/license/status", access: .scope(.settingsRead)) { _, _ in JSONResponse(await store.status()) }
        routes.get("/api/license/features", access: .scope(.monitoringRead)) { _, _ in
            let status = await store.status()
            return JSONResponse(
                Features(
                    licenseStatus: status.valid ? "active" : "none",
                    features: Dictionary(uniqueKeysWithValues: LicenseStore.features.map { ($0, true) })))
        }
        routes.post("/api/license/activate", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.decodeJSON(ActivateRequest.self, limit: 64 * 1024)
            guard let key = body.licenseKey, !key.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError.badRequest("license_key is required", field: "license_key")
            }
            let status = try await store.activate(key)
            audit.record("license_activate", actor: context.authentication.actor, ip: context.clientIP, details: status.licenseId ?? "")
            return JSONResponse(ActivateReply(message: "License activated for \(status.holder ?? "")", status: status))
        }
        routes.post("/api/license/clear", access: .scope(.settingsWrite)) { _, context in
            let status = try await store.clear()
            audit.record("license_clear", actor: context.authentication.actor, ip: context.clientIP, details: "")
            return JSONResponse(ActivateReply(message: "License cleared", status: status))
        }
    }
}

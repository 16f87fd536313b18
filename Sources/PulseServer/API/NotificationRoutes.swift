import Foundation
import Hummingbird

/// `/api/notifications/*`: email, Apprise and webhook settings, tests, delivery history, the
/// queue and its dead-letter queue. Reading needs `settings:read`, changing `settings:write`.
///
/// Secrets go in and never come out: passwords and API keys are reported as set or not, webhook
/// URLs (which often hold a token in their path) as scheme and host only, header values masked.
struct NotificationRoutes {
    let configs: NotificationConfigStore
    let notifier: Notifier
    let dispatcher: NotificationDispatcher
    let time: any TimeSource
    let audit: AuditLog

    static let bodyLimit = 256 * 1024
    static let masked = "••••••••"

    struct EmailView: Encodable, Sendable {
        var config: EmailConfig
        var hasPassword: Bool
    }

    struct AppriseView: Encodable, Sendable {
        var config: ShownAppriseConfig
        var hasApiKey: Bool
    }

    /// The stored settings plus `cliPath`, which the operator sets at start (read-only here).
    struct ShownAppriseConfig: Encodable, Sendable {
        var settings: AppriseConfig
        var cliPath: String

        private enum Keys: String, CodingKey { case cliPath }

        func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(cliPath, forKey: .cliPath)
        }
    }

    struct WebhookView: Encodable, Sendable {
        var id: String
        var name: String
        /// Scheme and host only.
        var url: String
        var method: String
        var headers: [String: String]
        var enabled: Bool
        var service: String
        var template: String?
        var customFields: [String: String]

        init(_ webhook: Webhook) {
            id = webhook.id
            name = webhook.name
            let components = URLComponents(string: webhook.url)
            url = "\(components?.scheme ?? "https")://\(components?.host ?? "")\(components?.port.map { ":\($0)" } ?? "")/…"
            method = webhook.method
            headers = webhook.headers.mapValues { _ in NotificationRoutes.masked }
            enabled = webhook.enabled
            service = webhook.service
            template = webhook.template
            customFields = webhook.customFields.mapValues { _ in NotificationRoutes.masked }
        }
    }

    struct IDs: Decodable { var ids: [Int64]? }
    struct Done: Encodable, Sendable {
        var success = true
        var message: String
        var count: Int?
    }

    func register(on routes: ScopedRouter) {
        routes.get("/api/notifications", access: .scope(.settingsRead)) { _, _ in JSONResponse(await configs.config.settings) }
        routes.post("/api/notifications", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.collectJSONBody(limit: Self.bodyLimit)
            let updated = try await configs.update { config in
                let settings = try JSONMerge.merged(config.settings, with: Data(buffer: body), replacedWhole: ["allowedPrivateTargets"])
                for range in settings.allowedPrivateTargets where IPRange(range) == nil {
                    throw APIError.badRequest("\(range) is not a CIDR range", field: "allowedPrivateTargets")
                }
                config.settings = settings
            }
            audited(context, "notification settings")
            return JSONResponse(updated.settings)
        }

        routes.get("/api/notifications/email", access: .scope(.settingsRead)) { _, _ in
            let email = await configs.config.email
            var shown = email
            shown.password = ""
            return JSONResponse(EmailView(config: shown, hasPassword: !email.password.isEmpty))
        }
        for method in [HTTPRequest.Method.put, .post] {
            routes.on(method, "/api/notifications/email", access: .scope(.settingsWrite)) { request, context in
                var request = request
                let body = try await request.collectJSONBody(limit: Self.bodyLimit)
                let updated = try await configs.update { config in
                    let stored = config.email.password
                    var email = try Self.merged(config.email, Data(buffer: body))
                    if email.password.isEmpty || email.password == Self.masked { email.password = stored }
                    if !email.server.isEmpty {
                        let server = try HostAddress.parse(email.server, field: "server")
                        guard server.scheme == nil, server.port == nil else {
                            throw APIError.badRequest("server must be a host name or address; the port goes in port", field: "server")
                        }
                        email.server = server.host
                    }
                    if email.enabled, email.server.isEmpty || email.from.isEmpty || email.to.isEmpty {
                        throw APIError.badRequest("an enabled email needs server, from and to", field: email.server.isEmpty ? "server" : email.from.isEmpty ? "from" : "to")
                    }
                    config.email = email
                }
                audited(context, "email notifications")
                var shown = updated.email
                shown.password = ""
                return JSONResponse(EmailView(config: shown, hasPassword: !updated.email.password.isEmpty))
            }
            routes.on(method, "/api/notifications/apprise", access: .scope(.settingsWrite)) { request, context in
                var request = request
                let body = try await request.collectJSONBody(limit: Self.bodyLimit)
                let updated = try await configs.update { config in
                    let stored = config.apprise.apiKey
                    var apprise = try Self.merged(config.apprise, Data(buffer: body))
                    if apprise.apiKey.isEmpty || apprise.apiKey == Self.masked { apprise.apiKey = stored }
                    guard ["cli", "http"].contains(apprise.mode) else { throw APIError.badRequest("mode must be cli or http", field: "mode") }
                    config.apprise = apprise
                }
                if let body = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], body["cliPath"] != nil {
                    context.logger.notice("apprise cliPath in the request ignored: the operator sets it with --apprise-cli")
                }
                audited(context, "apprise notifications (mode \(updated.apprise.mode))")
                return JSONResponse(Self.view(updated.apprise, cliPath: dispatcher.sender.appriseCLI.configured))
            }
        }
        routes.get("/api/notifications/apprise", access: .scope(.settingsRead)) { _, _ in JSONResponse(Self.view(await configs.config.apprise, cliPath: dispatcher.sender.appriseCLI.configured)) }

        routes.get("/api/notifications/webhooks", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(await configs.config.webhooks.map(WebhookView.init))
        }
        routes.post("/api/notifications/webhooks", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.collectJSONBody(limit: Self.bodyLimit)
            let allowed = await configs.config.settings.allowedPrivateTargets
            let webhook = try Self.validated(try Self.merged(Webhook(id: RandomHex.make(byteCount: 8), name: "", url: ""), Data(buffer: body)), allowing: allowed)
            _ = try await configs.update { $0.webhooks.append(webhook) }
            context.logger.notice("webhook added", metadata: ["webhookID": .string(webhook.id), "service": .string(webhook.service)])
            audited(context, "webhook \(webhook.id) added")
            return JSONResponse(WebhookView(webhook), status: .created)
        }
        routes.put("/api/notifications/webhooks/{id}", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let id = try context.parameters.require("id")
            let body = try await request.collectJSONBody(limit: Self.bodyLimit)
            var result: Webhook?
            _ = try await configs.update { config in
                guard let index = config.webhooks.firstIndex(where: { $0.id == id }) else { throw APIError.notFound("No webhook with id \(id)") }
                var webhook = try Self.merged(config.webhooks[index], Data(buffer: body))
                webhook.id = id
                // Masked values sent back unchanged keep what is stored.
                for (key, value) in webhook.headers where value == Self.masked { webhook.headers[key] = config.webhooks[index].headers[key] }
                for (key, value) in webhook.customFields where value == Self.masked { webhook.customFields[key] = config.webhooks[index].customFields[key] }
                if webhook.url.contains("…") { webhook.url = config.webhooks[index].url }
                webhook = try Self.validated(webhook, allowing: config.settings.allowedPrivateTargets)
                config.webhooks[index] = webhook
                result = webhook
            }
            audited(context, "webhook \(id) updated")
            return JSONResponse(WebhookView(result!))
        }
        routes.delete("/api/notifications/webhooks/{id}", access: .scope(.settingsWrite)) { _, context in
            let id = try context.parameters.require("id")
            _ = try await configs.update { config in
                guard config.webhooks.contains(where: { $0.id == id }) else { throw APIError.notFound("No webhook with id \(id)") }
                config.webhooks.removeAll { $0.id == id }
            }
            audited(context, "webhook \(id) removed")
            return JSONBody.noContent
        }
        routes.post("/api/notifications/webhooks/test", access: .scope(.settingsWrite)) { request, _ in
            var request = request
            let body = try await request.collectJSONBody(limit: Self.bodyLimit)
            let config = await configs.config
            let patch = Data(buffer: body)
            let stored = (try? JSONDecoder().decode(IDOnly.self, from: patch)).flatMap { ask in config.webhooks.first { $0.id == ask.id } }
            let webhook = try Self.validated(try Self.merged(stored ?? Webhook(id: "test", name: "test", url: ""), patch), allowing: config.settings.allowedPrivateTargets)
            do {
                try await dispatcher.sender.send(webhook, message: .test(at: time.now()), allowing: config.settings.allowedPrivateTargets)
            } catch {
                throw APIError(.badRequest, code: .connectionFailed, message: "Test failed: \(error)")
            }
            return JSONResponse(Done(message: "Test notification delivered to \(webhook.name)"))
        }
        routes.get("/api/notifications/webhook-templates", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(WebhookRequest.services.map { ["service": $0, "method": "POST"] })
        }
        routes.get("/api/notifications/webhook-history", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(try dispatcher.queue.history(channelPrefix: "webhook:"))
        }
        routes.get("/api/notifications/email-providers", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(EmailProvider.known)
        }
        routes.get("/api/notifications/health", access: .scope(.settingsRead)) { _, _ in
            let config = await configs.config
            let stats = try dispatcher.queue.stats()
            return JSONResponse(Health(
                healthy: stats.dead == 0, queue: stats, emailEnabled: config.email.enabled, appriseEnabled: config.apprise.enabled,
                webhooksEnabled: config.webhooks.filter(\.enabled).count))
        }
        routes.post("/api/notifications/test", access: .scope(.settingsWrite)) { _, _ in
            let now = time.now()
            await notifier.enqueue(.test(at: now))
            let delivered = await dispatcher.deliverDue(at: now)
            return JSONResponse(Done(message: "Test notification sent to \(delivered) channel(s); failures are retried from the queue", count: delivered))
        }
        routes.get("/api/notifications/queue/stats", access: .scope(.settingsRead)) { _, _ in JSONResponse(try dispatcher.queue.stats()) }
        routes.get("/api/notifications/dlq", access: .scope(.settingsRead)) { _, _ in JSONResponse(try dispatcher.queue.dead()) }
        routes.post("/api/notifications/dlq/retry", access: .scope(.settingsWrite)) { request, _ in
            var request = request
            let ids = try await request.decodeJSON(IDs.self, limit: Self.bodyLimit).ids
            let count = try dispatcher.queue.retryDead(ids, at: time.now())
            let delivered = await dispatcher.deliverDue(at: time.now())
            return JSONResponse(Done(message: "\(count) notification(s) requeued, \(delivered) delivered", count: count))
        }
        routes.post("/api/notifications/dlq/delete", access: .scope(.settingsWrite)) { request, _ in
            var request = request
            let ids = try await request.decodeJSON(IDs.self, limit: Self.bodyLimit).ids
            return JSONResponse(Done(message: "Deleted", count: try dispatcher.queue.deleteDead(ids)))
        }
    }

    /// Notification targets decide where alert data goes: each change is a security event.
    private func audited(_ context: PulseRequestContext, _ what: String) {
        audit.record("settings_change", actor: context.authentication.actor, ip: context.clientIP, details: what)
    }

    struct IDOnly: Decodable { var id: String }

    struct Health: Encodable, Sendable {
        var healthy: Bool
        var queue: NotificationQueue.Stats
        var emailEnabled: Bool
        var appriseEnabled: Bool
        var webhooksEnabled: Int
    }

    static func view(_ apprise: AppriseConfig, cliPath: String) -> AppriseView {
        var shown = apprise
        shown.apiKey = ""
        shown.targets = apprise.targets.map { target in target.split(separator: ":").first.map { "\($0)://…" } ?? "…" }
        return AppriseView(config: ShownAppriseConfig(settings: shown, cliPath: cliPath), hasApiKey: !apprise.apiKey.isEmpty)
    }

    static func merged<T: Codable>(_ base: T, _ patch: Data) throws -> T {
        do {
            return try JSONMerge.merged(base, with: patch, replacedWhole: ["headers", "customFields", "to", "targets"])
        } catch let error as DecodingError {
            throw APIError.badRequest("Malformed JSON body: \(DecodingErrorDescription.describe(error))", code: .invalidJSON)
        } catch {
            throw APIError.badRequest("Malformed JSON body", code: .invalidJSON)
        }
    }

    /// The characters of an HTTP field name (RFC 9110 `token`).
    private static let headerNameCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    static func validated(_ webhook: Webhook, allowing allowed: [String]) throws -> Webhook {
        var webhook = webhook
        webhook.name = webhook.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !webhook.name.isEmpty else { throw APIError.badRequest("name is required", field: "name") }
        guard WebhookRequest.services.contains(webhook.service) else {
            throw APIError.badRequest("service must be one of \(WebhookRequest.services.joined(separator: ", "))", field: "service")
        }
        webhook.method = webhook.method.uppercased()
        guard ["POST", "PUT"].contains(webhook.method) else { throw APIError.badRequest("method must be POST or PUT", field: "method") }
        for (name, value) in webhook.headers {
            guard !name.isEmpty, name.allSatisfy(Self.headerNameCharacters.contains), !value.unicodeScalars.contains(where: { "\r\n\0".unicodeScalars.contains($0) }) else {
                throw APIError.badRequest("a header name must be a token and no value may hold a line break", field: "headers.\(name)")
            }
        }
        do {
            _ = try OutboundTarget.check(webhook.url, allowing: allowed)
        } catch let refused as OutboundTarget.Refused {
            throw APIError.badRequest("url refused: \(refused.description)", field: "url")
        }
        return webhook
    }
}

/// Settings of well-known mail providers, for the email form.
struct EmailProvider: Encodable, Sendable {
    var name: String
    var server: String
    var port: Int
    var tls: Bool
    var startTLS: Bool

    static let known = [
        EmailProvider(name: "Gmail", server: "smtp.gmail.com", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "Outlook / Microsoft 365", server: "smtp.office365.com", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "Fastmail", server: "smtp.fastmail.com", port: 465, tls: true, startTLS: false),
        EmailProvider(name: "Amazon SES (us-east-1)", server: "email-smtp.us-east-1.amazonaws.com", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "SendGrid", server: "smtp.sendgrid.net", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "Mailgun", server: "smtp.mailgun.org", port: 587, tls: false, startTLS: true),
    ]
}

import AgentProtocol
package import Foundation
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat
package import Notifications
package import Persistence
package import PulseSupport

/// `/api/notifications/*`: email, Apprise and webhook settings, tests, delivery history, the
/// queue and its dead-letter queue. Reading needs `settings:read`, changing `settings:write`.
///
/// Secrets go in and never come out: passwords and API keys are reported as set or not, webhook
/// URLs (which often hold a token in their path) as scheme and host only, header values masked.
package struct NotificationRoutes {
    package let configs: NotificationConfigStore
    package let notifier: Notifier
    package let dispatcher: NotificationDispatcher
    package let time: any TimeSource
    package let audit: AuditLog

    package init(configs: NotificationConfigStore, notifier: Notifier, dispatcher: NotificationDispatcher, time: any TimeSource, audit: AuditLog) {
        self.configs = configs
        self.notifier = notifier
        self.dispatcher = dispatcher
        self.time = time
        self.audit = audit
    }

    static let bodyLimit = 256 * 1024
    static let masked = "••••••••"

    package struct EmailView: Encodable, Sendable {
        package var config: EmailConfig
        var hasPassword: Bool
    }

    package struct AppriseView: Encodable, Sendable {
        package var config: ShownAppriseConfig
        var hasApiKey: Bool
    }

    /// The stored settings plus `cliPath`, which the operator sets at start (read-only here).
    package struct ShownAppriseConfig: Encodable, Sendable {
        package var settings: AppriseConfig
        var cliPath: String

        private enum Keys: String, CodingKey { case cliPath }

        package func encode(to encoder: any Encoder) throws {
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(cliPath, forKey: .cliPath)
        }
    }

    package struct WebhookView: Encodable, Sendable {
        package var id: String
        package var name: String
        /// Scheme and host only.
        package var url: String
        package var method: String
        package var headers: [String: String]
        package var enabled: Bool
        package var service: String
        package var template: String?
        package var customFields: [String: String]

        package init(_ webhook: Webhook) {
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

    package struct IDs: Decodable { var ids: [Int64]? }
    package struct Done: Encodable, Sendable {
        package var success = true
        package var message: String
        package var count: Int?
    }

    package func register(on routes: ScopedRouter) {
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
                        throw APIError.badRequest(
                            "an enabled email needs server, from and to", field: email.server.isEmpty ? "server" : email.from.isEmpty ? "from" : "to")
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
        routes.get("/api/notifications/apprise", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(Self.view(await configs.config.apprise, cliPath: dispatcher.sender.appriseCLI.configured))
        }

        routes.get("/api/notifications/webhooks", access: .scope(.settingsRead)) { _, _ in
            JSONResponse(await configs.config.webhooks.map(WebhookView.init))
        }
        routes.post("/api/notifications/webhooks", access: .scope(.settingsWrite)) { request, context in
            var request = request
            let body = try await request.collectJSONBody(limit: Self.bodyLimit)
            let allowed = await configs.config.settings.allowedPrivateTargets
            let webhook = try Self.validated(
                try Self.merged(Webhook(id: RandomHex.make(byteCount: 8), name: "", url: ""), Data(buffer: body)), allowing: allowed)
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
                for (key, value) in webhook.customFields where value == Self.masked {
                    webhook.customFields[key] = config.webhooks[index].customFields[key]
                }
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
            let webhook = try Self.validated(
                try Self.merged(stored ?? Webhook(id: "test", name: "test", url: ""), patch), allowing: config.settings.allowedPrivateTargets)
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
            return JSONResponse(
                Health(
                    healthy: stats.dead == 0, queue: stats, emailEnabled: config.email.enabled, appriseEnabled: config.apprise.enabled,
                    webhooksEnabled: config.webhooks.filter(\.enabled).count))
        }
        routes.post("/api/notifications/test", access: .scope(.settingsWrite)) { _, _ in
            let now = time.now()
            await notifier.enqueue(.test(at: now))
            let delivered = await dispatcher.deliverDue(at: now)
            return JSONResponse(
                Done(message: "Test notification sent to \(delivered) channel(s); failures are retried from the queue", count: delivered))
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

    package struct IDOnly: Decodable { var id: String }

    package struct Health: Encodable, Sendable {
        package var healthy: Bool
        package var queue: Notifications.NotificationQueue.Stats
        var emailEnabled: Bool
        var appriseEnabled: Bool
        var webhooksEnabled: Int
    }

    package static func view(_ apprise: AppriseConfig, cliPath: String) -> AppriseView {
        var shown = apprise
        shown.apiKey = ""
        shown.targets = apprise.targets.map { target in target.split(separator: ":").first.map { "\($0)://…" } ?? "…" }
        return AppriseView(config: ShownAppriseConfig(settings: shown, cliPath: cliPath), hasApiKey: !apprise.apiKey.isEmpty)
    }

    package static func merged<T: Codable>(_ base: T, _ patch: Data) throws -> T {
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

    package static func validated(_ webhook: Webhook, allowing allowed: [String]) throws -> Webhook {
        var webhook = webhook
        webhook.name = webhook.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !webhook.name.isEmpty else { throw APIError.badRequest("name is required", field: "name") }
        guard WebhookRequest.services.contains(webhook.service) else {
            throw APIError.badRequest("service must be one of \(WebhookRequest.services.joined(separator: ", "))", field: "service")
        }
        webhook.method = webhook.method.uppercased()
        guard ["POST", "PUT"].contains(webhook.method) else { throw APIError.badRequest("method must be POST or PUT", field: "method") }
        for (name, value) in webhook.headers {
            guard !name.isEmpty, name.allSatisfy(Self.headerNameCharacters.contains),
                !value.unicodeScalars.contains(where: { "\r\n\0".unicodeScalars.contains($0) })
            else {
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
package struct EmailProvider: Encodable, Sendable {
    package var name: String
    package var server: String
    package var port: Int
    package var tls: Bool
    package var startTLS: Bool

    package static let known = [
        EmailProvider(name: "Gmail", server: "smtp.gmail.com", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "Outlook / Microsoft 365", server: "smtp.office365.com", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "Fastmail", server: "smtp.fastmail.com", port: 465, tls: true, startTLS: false),
        EmailProvider(name: "Amazon SES (us-east-1)", server: "email-smtp.us-east-1.amazonaws.com", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "SendGrid", server: "smtp.sendgrid.net", port: 587, tls: false, startTLS: true),
        EmailProvider(name: "Mailgun", server: "smtp.mailgun.org", port: 587, tls: false, startTLS: true),
    ]
}

import CurlHTTP
package import Foundation
import Persistence
import PulseSupport

/// Delivers one message to one channel. Errors name the channel, never its URL or credentials
/// (webhook URLs often carry a token in their path).
package struct NotificationSender: Sendable {
    package let configs: NotificationConfigStore
    /// The operator's Apprise program; nothing a request sends chooses it.
    package let appriseCLI: AppriseCLI
    package var timeout: Duration = .seconds(15)

    package struct DeliveryError: Error, CustomStringConvertible {
        package let description: String
    }

    func deliver(channel: String, message: NotificationMessage) async throws {
        let config = await configs.config
        if channel.hasPrefix("webhook:") {
            let id = String(channel.dropFirst("webhook:".count))
            guard let webhook = config.webhooks.first(where: { $0.id == id }) else { throw DeliveryError(description: "the webhook was removed") }
            try await send(webhook, message: message, allowing: config.settings.allowedPrivateTargets)
        } else if channel == "email" {
            try await sendEmail(config.email, message: message, allowing: config.settings.allowedPrivateTargets)
        } else if channel == "apprise" {
            try await sendApprise(config.apprise, message: message, allowing: config.settings.allowedPrivateTargets)
        } else {
            throw DeliveryError(description: "unknown channel \(channel)")
        }
    }

    package func send(_ webhook: Webhook, message: NotificationMessage, allowing allowed: [String]) async throws {
        let request = try WebhookRequest.make(for: webhook, message: message)
        try await deliverHTTP(
            "webhook \(webhook.name)", url: webhook.url, allowing: allowed, method: request.method, headers: request.headers,
            body: request.body, timeout: timeout)
    }

    /// Checks `url`, then sends to the addresses the check resolved. A refusal, a transport error
    /// or a status outside 2xx is a `DeliveryError` naming `label`, never the URL.
    private func deliverHTTP(
        _ label: String, url: String, allowing allowed: [String], method: String, headers: [String], body: [UInt8],
        timeout: Duration, skipTLSVerify: Bool = false
    ) async throws {
        let target: OutboundTarget
        do {
            target = try OutboundTarget.check(url, allowing: allowed)
        } catch let refused as OutboundTarget.Refused {
            throw DeliveryError(description: "\(label): \(refused.description)")
        }
        var client = CurlClient(userAgent: "Pulse/\(BuildInfo.version)", timeout: timeout)
        client.resolve = target.resolve
        client.tls.insecure = skipTLSVerify
        let reply: HTTPReply
        do {
            reply = try await client.send(method, target.url, headers: headers, body: body)
        } catch {
            throw DeliveryError(description: "\(label): \(error)")
        }
        guard (200..<300).contains(reply.status) else {
            throw DeliveryError(description: "\(label) answered HTTP \(reply.status)")
        }
    }

    /// Sends through the SMTP server, after the same address check as webhooks: a private,
    /// loopback or link-local server only when its range is in `allowed`, and the connection
    /// pinned to the addresses checked.
    func sendEmail(_ email: EmailConfig, message: NotificationMessage, allowing allowed: [String]) async throws {
        guard !email.server.isEmpty, !email.from.isEmpty, !email.to.isEmpty else {
            throw DeliveryError(description: "email: server, from and at least one recipient are needed")
        }
        let server: HostAddress
        let resolve: [String]
        do {
            server = try HostAddress.parse(email.server, field: "server")
            guard server.scheme == nil, server.port == nil else {
                throw DeliveryError(description: "email: server must be a bare host name or address")
            }
            resolve = try OutboundTarget.checkHost(server.host, port: email.port, allowing: allowed)
        } catch let refused as OutboundTarget.Refused {
            throw DeliveryError(description: "email via \(email.server): \(refused.description)")
        } catch let invalid as InvalidField {
            throw DeliveryError(description: "email: \(invalid)")
        }
        let url = "\(email.tls ? "smtps" : "smtp")://\(server.authority):\(email.port)"
        let text = EmailText.make(from: email.from, to: email.to, subject: message.title, body: message.text, at: message.at)
        var smtp = CurlSMTP(timeout: timeout)
        smtp.resolve = resolve
        do {
            try await smtp.send(
                url: url, username: email.username, password: email.password, from: email.from, to: email.to,
                message: Array(text.utf8), requireTLS: email.tls || email.startTLS)
        } catch {
            throw DeliveryError(description: "email via \(email.server): \(error)")
        }
    }

    func sendApprise(_ apprise: AppriseConfig, message: NotificationMessage, allowing allowed: [String]) async throws {
        let type = message.kind == .resolved ? "success" : message.isCritical ? "failure" : "warning"
        if apprise.mode == "http" {
            let base = apprise.serverUrl.hasSuffix("/") ? String(apprise.serverUrl.dropLast()) : apprise.serverUrl
            let url = apprise.configKey.isEmpty ? "\(base)/notify" : "\(base)/notify/\(apprise.configKey)"
            var body: [String: Any] = ["title": message.title, "body": message.text, "type": type]
            if !apprise.targets.isEmpty { body["urls"] = apprise.targets.joined(separator: ",") }
            var headers = ["Content-Type: application/json"]
            if !apprise.apiKey.isEmpty { headers.append("\(apprise.apiKeyHeader): \(apprise.apiKey)") }
            try await deliverHTTP(
                "apprise server", url: url, allowing: allowed, method: "POST", headers: headers,
                body: Array(try JSONSerialization.data(withJSONObject: body)), timeout: .seconds(Int64(max(1, apprise.timeoutSeconds))),
                skipTLSVerify: apprise.skipTLSVerify)
            return
        }
        // CLI: the target URLs hold secrets, so they go in a private config file, not in argv.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-apprise-\(RandomHex.make(byteCount: 8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let configFile = folder.appendingPathComponent("apprise.txt")
        try AtomicFile.write(Data(apprise.targets.joined(separator: "\n").utf8), to: configFile.path)
        try await appriseCLI.notify(configFile: configFile.path, type: type, title: message.title, body: message.text)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(configs: NotificationConfigStore, appriseCLI: AppriseCLI, timeout: Duration = .seconds(15)) {
        self.configs = configs
        self.appriseCLI = appriseCLI
        self.timeout = timeout
    }
}

/// An RFC 5322 plain-text email. Header values lose any line breaks (no header injection).
package enum EmailText {
    package static func make(from: String, to: [String], subject: String, body: String, at date: Date) -> String {
        func clean(_ value: String) -> String { value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let domain = from.split(separator: "@").last.map(String.init) ?? "pulse.local"
        let lines = [
            "Date: \(formatter.string(from: date))", "From: \(clean(from))", "To: \(to.map(clean).joined(separator: ", "))",
            "Subject: \(clean(subject))", "Message-ID: <\(RandomHex.make(byteCount: 12))@\(clean(domain))>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
        ]
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return lines.joined(separator: "\r\n") + "\r\n" + normalised + "\r\n"
    }
}

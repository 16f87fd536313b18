import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Notifications to a local webhook receiver and a real SMTP server (aiosmtpd), through the
/// persistent queue, with the manual clock.
@Suite("Notifications: webhooks, email, queue, dead-letter queue, URL hygiene")
struct NotificationTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]

    /// An HTTP server that records what it receives and answers with `status`.
    final class Receiver: Sendable {
        struct Received: Sendable {
            var path: String
            var headers: HTTPFields
            var body: String
        }
        let received = Mutex<[Received]>([])
        let status = Mutex<HTTPResponse.Status>(.ok)

        func application() -> Application<RouterResponder<BasicRequestContext>> {
            let router = Router()
            router.post("/hook/{name}") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                self.received.withLock { $0.append(Received(path: request.uri.path, headers: request.headers, body: String(buffer: body))) }
                return Response(status: self.status.withLock { $0 })
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }

        func bodies(_ name: String) -> [String] { received.withLock { $0.filter { $0.path == "/hook/\(name)" }.map(\.body) } }
        func json(_ name: String) -> [String: Any]? {
            bodies(name).last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    static func alert(_ id: String, level: AlertLevel = .warning, message: String = "Host web CPU at 93% (threshold 80%)", at now: Date) -> Alert {
        Alert(
            id: id, type: "cpu", level: level, resourceId: "host:h1", resourceName: "web", node: "web", instance: "", message: message,
            value: 93, threshold: 80, startTime: now, lastSeen: now, acknowledged: false,
            metadata: AlertMetadata(resourceType: "host", clearThreshold: 75))
    }

    static func post(_ client: any TestClientProtocol, _ path: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: admin, body: ByteBuffer(string: AgentPayloads.json(body)))
    }

    @Test func eachPresetGetsItsBodyShapeAndTemplatesEscapeValues() async throws {
        let receiver = Receiver()
        try await receiver.application().test(.live) { hook in
            let base = "http://127.0.0.1:\(try #require(hook.port))/hook"
            try await TestServer.with { server, client in
                #expect(try await Self.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.0/8"]]).status == .ok)
                let hooks: [[String: Any]] = [
                    ["name": "discord", "service": "discord"], ["name": "slack", "service": "slack"],
                    ["name": "telegram", "service": "telegram", "customFields": ["chat_id": "42"]],
                    ["name": "pushover", "service": "pushover", "customFields": ["app_token": "app-secret", "user_token": "user-secret"]],
                    ["name": "ntfy", "service": "ntfy"], ["name": "pagerduty", "service": "pagerduty", "customFields": ["routing_key": "rk"]],
                    ["name": "teams", "service": "teams"], ["name": "gotify", "service": "gotify"], ["name": "generic", "service": "generic"],
                    [
                        "name": "custom", "service": "generic", "template": #"{"text":"{{.Level}}: {{.Message}}","chat":"{{.CustomFields.room}}"}"#,
                        "customFields": ["room": "ops"],
                    ],
                ]
                for var webhook in hooks {
                    let name = webhook["name"] as? String ?? ""
                    webhook["url"] = "\(base)/\(name)"
                    let created = try await Self.post(client, "/api/notifications/webhooks", webhook)
                    let answer = created.text
                    #expect(created.status == .created, "\(name): \(answer)")
                    #expect(!created.text.contains("secret"), "custom fields are masked")
                }
                let now = server.time.now()
                let quoted = Self.alert("host:h1-cpu", message: #"Host "web" CPU at 93%"#, at: now)
                await server.dependencies.notifier.handle([.fired(quoted)], schedule: await server.dependencies.alerts.configuration.schedule)
                #expect(await server.dependencies.notifications.deliverDue(at: now) == 0, "grouping holds alerts for 30 s")
                server.time.advance(by: 30)
                await server.dependencies.notifier.flushDue()
                #expect(await server.dependencies.notifications.deliverDue(at: server.time.now()) == hooks.count)

                #expect(
                    (receiver.json("discord")?["embeds"] as? [[String: Any]])?.first?["description"] as? String == #"[WARNING] Host "web" CPU at 93%"#
                )
                #expect((receiver.json("slack")?["blocks"] as? [Any])?.count == 2)
                #expect(receiver.json("telegram")?["chat_id"] as? String == "42")
                #expect(
                    receiver.json("pushover")?["token"] as? String == "app-secret" && receiver.json("pushover")?["user"] as? String == "user-secret")
                #expect(
                    receiver.json("pagerduty")?["event_action"] as? String == "trigger"
                        && receiver.json("pagerduty")?["dedup_key"] as? String == "host:h1-cpu")
                #expect(receiver.json("teams")?["@type"] as? String == "MessageCard")
                #expect(receiver.json("gotify")?["priority"] as? Int == 5)
                let ntfy = try #require(receiver.received.withLock { $0.first { $0.path == "/hook/ntfy" } })
                #expect(ntfy.body.contains("Host \"web\"") && ntfy.headers[HTTPField.Name("Title")!]?.hasPrefix("Pulse warning") == true)
                let generic = try #require(receiver.json("generic"))
                #expect(generic["source"] as? String == "pulse-monitoring" && (generic["alert"] as? [String: Any])?["id"] as? String == "host:h1-cpu")
                let customBodies = receiver.bodies("custom")
                let custom = try #require(receiver.json("custom"), "the template's JSON stays valid: \(customBodies)")
                #expect(custom["text"] as? String == #"warning: Host "web" CPU at 93%"# && custom["chat"] as? String == "ops")

                // Resolved: one message, in the generic resolved shape.
                await server.dependencies.notifier.handle(
                    [.resolved(quoted, at: server.time.now())], schedule: await server.dependencies.alerts.configuration.schedule)
                await server.dependencies.notifications.deliverDue(at: server.time.now())
                #expect(receiver.json("generic")?["event"] as? String == "resolved" && receiver.json("generic")?["count"] as? Int == 1)
                #expect(receiver.json("pagerduty")?["event_action"] as? String == "resolve")

                let listed = try await client.execute(uri: "/api/notifications/webhooks", method: .get, headers: Self.admin)
                #expect(!listed.text.contains("/hook/") && !listed.text.contains("app-secret"), "URLs and custom fields never come back")
            }
        }
    }

    @Test func aFailingReceiverLandsInTheDeadLetterQueueAndRetryDeliversIt() async throws {
        let receiver = Receiver()
        receiver.status.withLock { $0 = .internalServerError }
        try await receiver.application().test(.live) { hook in
            let url = "http://127.0.0.1:\(try #require(hook.port))/hook/flaky"
            try await TestServer.with { server, client in
                _ = try await Self.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.1/32"]])
                _ = try await Self.post(client, "/api/notifications/webhooks", ["name": "flaky", "url": url, "service": "generic"])
                await server.dependencies.notifier.enqueue(
                    NotificationMessage(kind: .fired, alerts: [Self.alert("a1", at: server.time.now())], at: server.time.now()))
                // Attempts at 0, +30 s, +60 s, +120 s, +240 s: then dead.
                for delay in [0.0, 30, 60, 120, 240] {
                    server.time.advance(by: delay)
                    #expect(await server.dependencies.notifications.deliverDue(at: server.time.now()) == 0)
                    server.time.advance(by: -0.0)
                }
                #expect(receiver.bodies("flaky").count == 5)
                let dead = try await client.execute(uri: "/api/notifications/dlq", method: .get, headers: Self.admin) { response in
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                }
                #expect(dead?.count == 1 && (dead?.first?["lastError"] as? String)?.contains("HTTP 500") == true)
                #expect((dead?.first?["lastError"] as? String)?.contains("/hook/") == false, "errors name the webhook, not its URL")
                server.time.advance(by: 3600)
                #expect(await server.dependencies.notifications.deliverDue(at: server.time.now()) == 0, "dead jobs are not retried on their own")

                receiver.status.withLock { $0 = .ok }
                let retried = try await Self.post(client, "/api/notifications/dlq/retry", [:])
                #expect(retried.status == .ok && retried.field("count", as: Int.self) == 1)
                #expect(receiver.bodies("flaky").count == 6)
                let stats = try await client.execute(uri: "/api/notifications/queue/stats", method: .get, headers: Self.admin) { try $0.jsonObject() }
                #expect(stats["dead"] as? Int == 0 && stats["sent"] as? Int == 1)
            }
        }
    }

    /// The engine pushes its schedule to the notifier when the configuration changes; the
    /// notifier never asks the engine (which may be waiting on it).
    @Test func aGroupingWindowChangedInTheAlertSettingsReachesTheNotifier() async throws {
        let receiver = Receiver()
        try await receiver.application().test(.live) { hook in
            let url = "http://127.0.0.1:\(try #require(hook.port))/hook/w"
            try await TestServer.with { server, client in
                _ = try await Self.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.0/8"]])
                _ = try await Self.post(client, "/api/notifications/webhooks", ["name": "w", "url": url, "service": "generic"])
                let notifier = server.dependencies.notifier
                var configuration = await server.dependencies.alerts.configuration
                #expect(configuration.schedule.grouping.window == 30)
                await notifier.handle([.fired(Self.alert("a", at: server.time.now()))], schedule: configuration.schedule)
                configuration.schedule.grouping.window = 5
                await server.dependencies.alerts.update(configuration, at: server.time.now())
                server.time.advance(by: 6)
                await notifier.flushDue()
                await server.dependencies.notifications.deliverDue(at: server.time.now())
                #expect(receiver.bodies("w").count == 1, "sent after the new 5 s window, not the 30 s one it started with")
            }
        }
    }

    @Test func cooldownAndGroupingKeepNotificationsFew() async throws {
        let receiver = Receiver()
        try await receiver.application().test(.live) { hook in
            let url = "http://127.0.0.1:\(try #require(hook.port))/hook/g"
            try await TestServer.with { server, client in
                _ = try await Self.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.0/8"]])
                _ = try await Self.post(client, "/api/notifications/webhooks", ["name": "g", "url": url, "service": "generic"])
                let notifier = server.dependencies.notifier
                let now = server.time.now()
                await notifier.handle([.fired(Self.alert("a", at: now))], schedule: await server.dependencies.alerts.configuration.schedule)
                server.time.advance(by: 10)
                await notifier.handle([.fired(Self.alert("b", at: now))], schedule: await server.dependencies.alerts.configuration.schedule)
                server.time.advance(by: 20)
                await notifier.flushDue()
                await server.dependencies.notifications.deliverDue(at: server.time.now())
                #expect(receiver.bodies("g").count == 1)
                #expect(receiver.json("g")?["grouped"] as? Bool == true && receiver.json("g")?["count"] as? Int == 2)
                // "a" again within the 5-minute cooldown: nothing; after it: notified again.
                server.time.advance(by: 60)
                await notifier.handle(
                    [.fired(Self.alert("a", level: .critical, at: now))], schedule: await server.dependencies.alerts.configuration.schedule)
                server.time.advance(by: 30)
                await notifier.flushDue()
                await server.dependencies.notifications.deliverDue(at: server.time.now())
                #expect(receiver.bodies("g").count == 1)
                server.time.advance(by: 300)
                await notifier.handle(
                    [.fired(Self.alert("a", level: .critical, at: now))], schedule: await server.dependencies.alerts.configuration.schedule)
                server.time.advance(by: 30)
                await notifier.flushDue()
                await server.dependencies.notifications.deliverDue(at: server.time.now())
                #expect(receiver.bodies("g").count == 2 && (receiver.json("g")?["alert"] as? [String: Any])?["level"] as? String == "critical")
            }
        }
    }

    @Test func unsafeWebhookURLsAreRefused() async throws {
        try await TestServer.with { _, client in
            for (url, reason) in [
                ("http://127.0.0.1:9/hook", "loopback"), ("http://169.254.169.254/latest/meta-data", "cloud metadata"),
                ("http://[::ffff:10.0.0.1]/x", "IPv4-mapped private"), ("http://[64:ff9b::a00:1]/x", "NAT64"),
                ("https://user:pass@example.com/x", "credentials"), ("ftp://example.com/x", "scheme"), ("http://10.1.2.3/x", "private"),
            ] {
                let response = try await Self.post(client, "/api/notifications/webhooks", ["name": "x", "url": url, "service": "generic"])
                #expect(response.status == .badRequest, "\(reason): \(url)")
                let details = try response.jsonObject()["details"] as? [String: String]
                #expect(details?["field"] == "url", "\(reason)")
            }
            #expect(try await Self.post(client, "/api/notifications", ["allowedPrivateTargets": ["not a range"]]).status == .badRequest)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func emailReachesARealSMTPServer() async throws {
        let python = PeerProcess.repository.appendingPathComponent(".build/test-data/aiosmtpd-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/aiosmtpd-venv.sh (make test does)")
        let maildir = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: maildir) }
        let port = try PrometheusTests.freePort()
        let smtp = Process()
        smtp.executableURL = URL(fileURLWithPath: python)
        smtp.arguments = [
            "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.appendingPathComponent("box").path,
        ]
        smtp.standardOutput = FileHandle.nullDevice
        smtp.standardError = FileHandle.nullDevice
        try smtp.run()
        defer {
            // aiosmtpd ignores SIGTERM.
            kill(smtp.processIdentifier, SIGKILL)
            smtp.waitUntilExit()
        }
        try await TestServer.with { _, client in
            let email: [String: Any] = [
                "enabled": true, "server": "127.0.0.1", "port": port, "from": "pulse@example.test", "to": ["ops@example.test"],
                "tls": false, "startTLS": false, "password": "smtp-secret",
            ]
            let saved = try await client.execute(
                uri: "/api/notifications/email", method: .put, headers: Self.admin, body: ByteBuffer(string: AgentPayloads.json(email)))
            #expect(saved.status == .ok && !saved.text.contains("smtp-secret") && saved.text.contains("\"hasPassword\":true"))
            // Security: an SMTP server on a private or loopback address is refused like a webhook
            // there (the server once connected to any host:port it was given), until allowed.
            #expect(try await Self.post(client, "/api/notifications/test", [:]).field("count", as: Int.self) == 0)
            let box = maildir.appendingPathComponent("box/new")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: box.path)) ?? []).isEmpty, "nothing reached the loopback SMTP server")
            let hostile = try await client.execute(
                uri: "/api/notifications/email", method: .put, headers: Self.admin, body: ByteBuffer(string: #"{"server":"127.0.0.1:6379/x"}"#))
            #expect(hostile.status == .badRequest && hostile.field("details", as: [String: String].self)?["field"] == "server")
            #expect(try await Self.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.0/8"]]).status == .ok)
            // The server needs a moment to listen: retry the test notification until it is delivered.
            var delivered = 0
            let deadline = ContinuousClock.now + .seconds(30)
            while delivered == 0 && ContinuousClock.now < deadline {
                delivered = try await Self.post(client, "/api/notifications/test", [:]).field("count", as: Int.self) ?? 0
                if delivered == 0 { try await Task.sleep(for: .milliseconds(300)) }  // waiting on an external process
            }
            #expect(delivered == 1)
            let files = try FileManager.default.contentsOfDirectory(at: maildir.appendingPathComponent("box/new"), includingPropertiesForKeys: nil)
            let mail = try String(contentsOf: try #require(files.first), encoding: .utf8)
            #expect(mail.contains("Subject: Pulse test notification") && mail.contains("To: ops@example.test"))
            #expect(mail.contains("This is a test notification from Pulse."))
        }
    }
}

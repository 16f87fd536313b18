import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

@Suite("Outbound headers: names from reports cannot add headers")
struct HeaderInjectionTests {
    @Test func aContainerNameWithCRLFArrivesAsOneTitleWithoutExtraHeaders() async throws {
        let receiver = NotificationTests.Receiver()
        try await receiver.application().test(.live) { hook in
            let url = "http://127.0.0.1:\(try #require(hook.port))/hook/ntfy"
            try await TestServer.with { server, client in
                _ = try await NotificationTests.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.0/8"]])
                let created = try await NotificationTests.post(
                    client, "/api/notifications/webhooks", ["name": "ntfy", "url": url, "service": "ntfy"])
                #expect(created.status == .created, "\(created.text)")
                let now = server.time.now()
                var alert = NotificationTests.alert("docker:evil-cpu", at: now)
                alert.resourceName = "evil\r\nX-Injected: 1"
                await server.dependencies.notifier.enqueue(NotificationMessage(kind: .fired, alerts: [alert], at: now))
                #expect(await server.dependencies.notifications.deliverDue(at: now) == 1, "delivered, not refused")
                let received = try #require(receiver.received.withLock { $0.first })
                #expect(received.headers[HTTPField.Name("X-Injected")!] == nil, "\(received.headers)")
                #expect(received.headers[HTTPField.Name("Title")!] == "Pulse warning: evil  X-Injected: 1")
            }
        }
    }

    @Test func aWebhookHeaderWithALineBreakOrABadNameIsRefusedWhenSaved() async throws {
        try await TestServer.with { _, client in
            _ = try await NotificationTests.post(client, "/api/notifications", ["allowedPrivateTargets": ["127.0.0.0/8"]])
            for (headers, field) in [
                (["X-Key": "a\r\nX-Injected: 1"], "headers.X-Key"), (["X Key": "a"], "headers.X Key"), (["X-Key:": "a"], "headers.X-Key:"),
            ] {
                let response = try await NotificationTests.post(
                    client, "/api/notifications/webhooks", ["name": "h", "url": "http://127.0.0.1:9/hook", "service": "generic", "headers": headers])
                #expect(response.status == .badRequest, "\(headers): \(response.text)")
                #expect((response.field("details", as: [String: String].self))?["field"] == field)
            }
        }
    }
}

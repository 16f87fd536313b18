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

/// Settings documents are merged key by key over the stored ones (`JSONMerge`); a body that is
/// not a JSON object must be the client's error, never the server's.
@Suite("Malformed settings bodies are 400 invalid_json")
struct MalformedSettingsBodyTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken]
    static let settingsPaths: [(HTTPRequest.Method, String)] = [
        (.post, "/api/notifications"), (.put, "/api/notifications/email"), (.put, "/api/notifications/apprise"),
        (.post, "/api/notifications/webhooks"), (.post, "/api/alerts/config"),
    ]

    @Test(arguments: ["", "not json", "{\"unterminated\": ", "[1, 2]", "42"])
    func aBodyThatIsNotAJSONObjectIs400(body: String) async throws {
        try await TestServer.with { _, client in
            for (method, path) in Self.settingsPaths {
                try await client.execute(uri: path, method: method, headers: Self.admin, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(method) \(path) with body \(body.debugDescription) answered \(response.status)")
                    #expect(response.field("code", as: String.self) == "invalid_json", "\(method) \(path): \(response.text)")
                }
            }
        }
    }

    @Test func mergeReportsInvalidJSONAsADecodingError() throws {
        #expect(throws: DecodingError.self) { try JSONMerge.merged(NotificationSettings(), with: Data("nope".utf8)) }
        #expect(throws: DecodingError.self) { try JSONMerge.merged(NotificationSettings(), with: Data()) }
    }
}

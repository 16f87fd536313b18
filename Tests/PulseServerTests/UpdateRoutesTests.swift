import CurlHTTP
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// Each `/api/updates/*` endpoint through the API: its answers, and its refusals of bad input
/// naming the field, of callers without the access, and of what this server cannot do.
@Suite("Update endpoints: answers and refusals")
struct UpdateRoutesTests {
    typealias Installation = ServerUpdateTests.Installation

    /// A request as the admin; the manual clock moves a minute first, so each call starts a fresh
    /// rate-limit window (these tests are about the answers, not the limits).
    static func call(
        _ server: TestServer, _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil,
        token: String = TestServer.adminToken
    ) async throws -> TestResponse {
        server.time.advance(by: 61)
        var headers: HTTPFields = [.apiToken: token]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    static func expectRefusal(
        _ reply: TestResponse, _ status: HTTPResponse.Status, code: String? = nil, field: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(reply.status == status, "\(reply.status) \(reply.text)", sourceLocation: sourceLocation)
        let object = try reply.jsonObject(sourceLocation: sourceLocation)
        if let code { #expect(object["code"] as? String == code, "\(reply.text)", sourceLocation: sourceLocation) }
        if let field {
            #expect((object["details"] as? [String: String])?["field"] == field, "\(reply.text)", sourceLocation: sourceLocation)
        }
    }

    @Test func withoutAFeedTheCheckSaysSoAndNothingCanBePlannedOrApplied() async throws {
        try await TestServer.with(configure: { $0.updates.deployment = .manual }) { server, client in
            let check = try await Self.call(server, client, .get, "/api/updates/check")
            #expect(check.status == .ok)
            let info = try check.jsonObject()
            #expect(info["available"] as? Bool == false && info["canAutoUpdate"] as? Bool == false)
            #expect((info["warning"] as? String)?.contains("PULSE_UPDATE_SERVER") == true)
            #expect(info["deploymentType"] as? String == "manual" && info["releaseDate"] as? String == "0001-01-01T00:00:00Z")
            try Self.expectRefusal(
                try await Self.call(server, client, .get, "/api/updates/plan?version=1.0.0"), .conflict, code: "feed_not_configured")
            // No release key either: applying is refused before the feed is asked.
            try Self.expectRefusal(
                try await Self.call(server, client, .post, "/api/updates/apply", body: #"{"downloadUrl":"https://example.com/a.tar.gz"}"#), .conflict,
                code: "update_not_possible")
            let status = try await Self.call(server, client, .get, "/api/updates/status").jsonObject()
            #expect(status["status"] as? String == "idle" && status["progress"] as? Int == 0 && status["updatedAt"] is String)
            #expect(status["error"] == nil)
            // A client that does not ask for an event stream gets the status once.
            let once = try await Self.call(server, client, .get, "/api/updates/stream")
            #expect(once.headers[.contentType]?.hasPrefix("application/json") == true && once.field("status", as: String.self) == "idle")
            #expect(try await Self.call(server, client, .get, "/api/updates/history").jsonObject()["entries"] as? [Any] != nil)
        }
    }

    @Test func withoutAReleaseKeyTheCheckWorksAndSaysUpdatesCannotBeApplied() async throws {
        let installation = try Installation.make()
        defer { try? FileManager.default.removeItem(at: installation.folder) }
        try await UpdateFeedFixture.make().serve { feed in
            try await TestServer.with(configure: {
                $0.updates.feedURL = feed.feedURL
                $0.updates.allowedPrivateTargets = ["127.0.0.1/32"]
                $0.updates.binaryPath = installation.binary
                $0.updates.runningVersion = "0.1.0"
                $0.updates.deployment = .systemd
            }) { server, client in
                let check = try await Self.call(server, client, .get, "/api/updates/check?channel=stable").jsonObject()
                #expect(check["available"] as? Bool == true && check["latestVersion"] as? String == "0.2.3")
                #expect(check["canAutoUpdate"] as? Bool == false && check["deploymentType"] as? String == "systemd")
                #expect((check["warning"] as? String)?.contains("PULSE_UPDATE_PUBLIC_KEY") == true, "\(check)")
                #expect(check["downloadUrl"] as? String == feed.url(of: "truncated"))
                let version = try await Self.call(server, client, .get, "/api/version").jsonObject()
                #expect(version["updateAvailable"] as? Bool == true && version["latestVersion"] as? String == "0.2.3")
                #expect(version["version"] as? String == "0.1.0" && version["deploymentType"] as? String == "systemd")
                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/apply", body: #"{"downloadUrl":"\#(feed.url(of: "good"))"}"#), .conflict,
                    code: "update_not_possible")
                #expect(installation.contents(installation.binary) == Installation.oldBinary)
            }
        }
    }

    @Test func badQueriesAndBodiesAreRefusedNamingTheField() async throws {
        let installation = try Installation.make()
        defer { try? FileManager.default.removeItem(at: installation.folder) }
        try await UpdateFeedFixture.make().serve { feed in
            try await TestServer.with(configure: {
                ServerUpdateTests.configure(&$0, feed: feed, installation: installation, restart: ServerRestart(), version: "0.1.0")
            }) { server, client in
                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/check?channel=beta"), .badRequest, field: "channel")
                let rc = try await Self.call(server, client, .get, "/api/updates/check?channel=rc").jsonObject()
                #expect(rc["latestVersion"] as? String == "0.3.0-rc.1" && rc["isPrerelease"] as? Bool == true && rc["channel"] as? String == "rc")

                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/plan"), .badRequest, field: "version")
                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/plan?version=latest"), .badRequest, field: "version")
                try Self.expectRefusal(
                    try await Self.call(server, client, .get, "/api/updates/plan?version=0.2.0&channel=x"), .badRequest, field: "channel")
                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/plan?version=9.9.9"), .notFound)
                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/plan?version=0.3.0-rc.1"), .notFound)
                let plan = try await Self.call(server, client, .get, "/api/updates/plan?version=v0.2.0").jsonObject()
                #expect(plan["version"] as? String == "0.2.0" && plan["canAutoUpdate"] as? Bool == true && plan["rollbackSupport"] as? Bool == true)
                #expect(plan["downloadUrl"] as? String == feed.url(of: "good") && (plan["steps"] as? [String])?.count == 6)
                let older = try await Self.call(server, client, .get, "/api/updates/plan?version=0.0.9").jsonObject()
                #expect(older["canAutoUpdate"] as? Bool == false && (older["instructions"] as? String)?.contains("not newer") == true)
                let candidate = try await Self.call(server, client, .get, "/api/updates/plan?version=0.3.0-rc.1&channel=rc")
                #expect(candidate.status == .ok)

                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/apply", body: "not json"), .badRequest, code: "invalid_json")
                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/apply", body: "{}"), .badRequest, field: "downloadUrl")
                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/apply", body: #"{"downloadUrl":"https://example.com/pulse.tar.gz"}"#),
                    .badRequest, field: "downloadUrl")
                let writer = try await server.token(scopes: ["settings:write"])
                try Self.expectRefusal(
                    try await Self.call(
                        server, client, .post, "/api/updates/apply", body: #"{"downloadUrl":"\#(feed.url(of: "good"))"}"#, token: writer),
                    .forbidden, code: "missing_scope")
                let reader = try await server.token(scopes: ["settings:read"])
                #expect(try await Self.call(server, client, .get, "/api/updates/status", token: reader).status == .ok)

                let failed = try await ServerUpdateTests.runJob(
                    server, client, "/api/updates/apply", body: #"{"downloadUrl":"\#(feed.url(of: "bad-signature"))"}"#)
                #expect(failed.status == .error)
                let status = try await Self.call(server, client, .get, "/api/updates/status").jsonObject()
                #expect(status["status"] as? String == "error" && (status["error"] as? String)?.contains("signature") == true)
                let failedID = try #require(try await ServerUpdateTests.history(client).first?["id"] as? String)

                try Self.expectRefusal(try await Self.call(server, client, .post, "/api/updates/rollback", body: "{}"), .badRequest, field: "eventId")
                try Self.expectRefusal(try await Self.call(server, client, .post, "/api/updates/rollback", body: #"{"eventId":"nope"}"#), .notFound)
                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/rollback", body: #"{"eventId":"\#(failedID)"}"#), .conflict,
                    code: "rollback_not_possible")

                for query in ["limit=0", "limit=101", "limit=ten"] {
                    try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/history?\(query)"), .badRequest, field: "limit")
                }
                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/history?status=done"), .badRequest, field: "status")
                let failedOnly = try await Self.call(server, client, .get, "/api/updates/history?status=failed&limit=1").jsonObject()
                #expect((failedOnly["entries"] as? [[String: Any]])?.map { $0["id"] as? String } == [failedID])
                let completedOnly = try await Self.call(server, client, .get, "/api/updates/history?status=completed").jsonObject()
                #expect((completedOnly["entries"] as? [Any])?.isEmpty == true)

                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/history/entry"), .badRequest, field: "id")
                try Self.expectRefusal(try await Self.call(server, client, .get, "/api/updates/history/entry?id=nope"), .notFound)
                let entry = try await Self.call(server, client, .get, "/api/updates/history/entry?id=\(failedID)", token: reader).jsonObject()
                #expect(entry["id"] as? String == failedID && entry["status"] as? String == "failed" && entry["action"] as? String == "update")
                #expect(
                    Set(entry.keys) == [
                        "id", "action", "version", "fromVersion", "channel", "status", "timestamp", "initiated_via", "related_event_id",
                        "backup_path", "duration_seconds", "error",
                    ])
            }
        }
    }

    @Test func aFeedOnAPrivateAddressIsReadOnlyWhenItsRangeIsAllowed() async throws {
        try await UpdateFeedFixture.make().serve { feed in
            try await TestServer.with(configure: {
                $0.updates.feedURL = feed.feedURL
                $0.updates.releaseKey = feed.releaseKey
            }) { server, client in
                let refused = try await Self.call(server, client, .get, "/api/updates/check")
                try Self.expectRefusal(refused, .badGateway, code: "feed_unavailable")
                #expect(refused.text.contains("PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS"), "\(refused.text)")
                let status = try await Self.call(server, client, .get, "/api/updates/status").jsonObject()
                #expect(status["status"] as? String == "error")
            }
        }
        // Allowed, but nothing answers there; the token in the feed's query stays out of the answer.
        try await TestServer.with(configure: {
            $0.updates.feedURL = "http://127.0.0.1:9/feed.json?token=s3cret"
            $0.updates.allowedPrivateTargets = ["127.0.0.0/8"]
        }) { server, client in
            let refused = try await Self.call(server, client, .get, "/api/updates/check")
            try Self.expectRefusal(refused, .badGateway, code: "feed_unavailable")
            #expect(refused.text.contains("http://127.0.0.1:9/feed.json") && !refused.text.contains("s3cret"), "\(refused.text)")
            let status = try await Self.call(server, client, .get, "/api/updates/status")
            #expect(!status.text.contains("s3cret"), "\(status.text)")
        }
    }

    @Test func aDockerDeploymentIsToldToPullTheImageAndNeverUpdatesInPlace() async throws {
        let installation = try Installation.make()
        defer { try? FileManager.default.removeItem(at: installation.folder) }
        try await UpdateFeedFixture.make().serve { feed in
            try await TestServer.with(configure: {
                ServerUpdateTests.configure(&$0, feed: feed, installation: installation, restart: ServerRestart(), version: "0.1.0")
                $0.updates.deployment = .docker
            }) { server, client in
                let check = try await Self.call(server, client, .get, "/api/updates/check").jsonObject()
                #expect(check["deploymentType"] as? String == "docker" && check["canAutoUpdate"] as? Bool == false)
                #expect((check["warning"] as? String)?.contains("Docker") == true)
                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/apply", body: #"{"downloadUrl":"\#(feed.url(of: "good"))"}"#), .conflict,
                    code: "update_not_possible")
                try Self.expectRefusal(
                    try await Self.call(server, client, .post, "/api/updates/rollback", body: #"{"eventId":"any"}"#), .conflict,
                    code: "update_not_possible")
            }
        }
    }

    /// Reads an open event stream until `done` holds for what arrived, the server closes it or
    /// nothing comes for the socket's receive timeout.
    static func readStream(_ fd: Int32, into text: String, until done: @Sendable @escaping (String) -> Bool) async throws -> String {
        try await BlockingThread.run {
            var text = text
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done(text) {
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                text += String(decoding: buffer[0..<count], as: UTF8.self)
            }
            return text
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func theStreamSendsEachProgressStateInOrder() async throws {
        let installation = try Installation.make()
        defer { try? FileManager.default.removeItem(at: installation.folder) }
        try await UpdateFeedFixture.make().serve { feed in
            try await TestServer.live(configure: {
                ServerUpdateTests.configure(&$0, feed: feed, installation: installation, restart: ServerRestart(), version: "0.1.0")
            }) { _, client in
                let port = try #require(client.port)
                let fd = try #require(RawSocket.requestEventStream(port: port, path: "/api/updates/stream", token: TestServer.adminToken))
                defer { close(fd) }
                let opened = try await Self.readStream(fd, into: "") { $0.contains("data: ") && $0.contains("\n\n\r\n") }
                #expect(opened.hasPrefix("HTTP/1.1 200"), "\(opened)")
                #expect(opened.lowercased().contains("content-type: text/event-stream"))

                let started = try await client.execute(
                    uri: "/api/updates/apply", method: .post, headers: ServerUpdateTests.adminJSON,
                    body: ByteBuffer(string: #"{"downloadUrl":"\#(feed.url(of: "good"))"}"#))
                #expect(started.status == .ok)
                let text = try await Self.readStream(fd, into: opened) { $0.contains(#""status":"completed""#) || $0.contains(#""status":"error""#) }

                // "\r\n" (chunked framing) is one Character: split the bytes' lines, not the characters'.
                let events = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
                    line in
                    try? JSONDecoder().decode(UpdateStatus.self, from: Data(line.dropFirst(6).utf8))
                }
                let states = events.map(\.status)
                #expect(states.first == .idle && states.last == .completed, "\(states)")
                #expect(states.contains(.downloading) && states.contains(.installing), "\(states)")
                let order: [UpdateStatus.State] = [.idle, .downloading, .installing, .completed]
                let ranks = states.compactMap { order.firstIndex(of: $0) }
                #expect(ranks == ranks.sorted(), "states out of order: \(states)")
                let progress = events.dropFirst().map(\.progress)
                #expect(progress == progress.sorted() && progress.last == 100, "\(progress)")
            }
        }
    }
}

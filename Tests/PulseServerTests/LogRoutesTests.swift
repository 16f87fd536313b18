import AgentJSONFoundation
import AgentProtocol
import CurlHTTP
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// `/api/logs/level`, `/api/logs/download`, `/api/logs/stream`: the server's own recent lines,
/// redacted, and its level changed at run time.
@Suite("Server logs: level, download, live stream, redaction")
struct LogRoutesTests {
    static let admin: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    @Test func theLevelChangesAtOnceIsStoredAndBadOrLockedChangesAreRefused() async throws {
        try await TestServer.with { server, client in
            let reader = try await server.token(scopes: ["settings:read"])
            let now = try await client.execute(uri: "/api/logs/level", method: .get, headers: [.apiToken: reader])
            #expect(now.field("level", as: String.self) == "error", "a test server logs critical only: Pulse's nearest name")
            let refused = try await client.execute(
                uri: "/api/logs/level", method: .post, headers: [.apiToken: reader, .contentType: "application/json"],
                body: .json(#"{"level":"debug"}"#))
            #expect(refused.status == .forbidden)
            let monitoring = try await server.token(scopes: ["monitoring:read"])
            #expect(try await client.execute(uri: "/api/logs/download", method: .get, headers: [.apiToken: monitoring]).status == .forbidden)

            let changed = try await client.execute(uri: "/api/logs/level", method: .post, headers: Self.admin, body: .json(#"{"level":"debug"}"#))
            #expect(changed.status == .ok && changed.field("level", as: String.self) == "debug")
            #expect(server.dependencies.configuration.runtimeLogLevel.level == .debug)
            let stored = try await client.execute(uri: "/api/system/settings", method: .get, headers: Self.admin)
            #expect(stored.field("logLevel", as: String.self) == "debug", "stored as the logLevel setting")

            for body in [#"{"level":"verbose"}"#, #"{"level":3}"#, #"{}"#] {
                let bad = try await client.execute(uri: "/api/logs/level", method: .post, headers: Self.admin, body: .json(body))
                #expect(bad.status == .badRequest, "\(body)")
            }
            let named = try await client.execute(uri: "/api/logs/level", method: .post, headers: Self.admin, body: .json(#"{"level":"loud"}"#))
            #expect((try named.jsonObject()["details"] as? [String: Any])?["field"] as? String == "level")
            #expect(server.dependencies.configuration.runtimeLogLevel.level == .debug, "nothing changed")
            let once = try await client.execute(uri: "/api/logs/stream?lines=1&follow=false", method: .get, headers: Self.admin)
            #expect(once.status == .ok && once.text.hasPrefix("data: {") && once.text.components(separatedBy: "data: ").count == 2)
            let badFollow = try await client.execute(uri: "/api/logs/stream?follow=maybe", method: .get, headers: Self.admin)
            #expect(badFollow.status == .badRequest)
            let badLines = try await client.execute(uri: "/api/logs/stream?lines=-1", method: .get, headers: Self.admin)
            #expect(try badLines.status == .badRequest && (badLines.jsonObject()["details"] as? [String: Any])?["field"] as? String == "lines")
        }
        try await TestServer.with(configure: { $0.lockedSettings = ["logLevel"] }) { _, client in
            let locked = try await client.execute(uri: "/api/logs/level", method: .post, headers: Self.admin, body: .json(#"{"level":"debug"}"#))
            #expect(locked.status == .conflict && locked.field("code", as: String.self) == "locked_by_environment")
        }
    }

    @Test func theDownloadHoldsTheRecentLinesWithSecretsRedacted() async throws {
        try await TestServer.with { server, client in
            _ = try await client.execute(uri: "/api/logs/level", method: .post, headers: Self.admin, body: .json(#"{"level":"debug"}"#))
            let recent = server.dependencies.configuration.recentLogs
            // What a careless log call might write; none of it may leave the server.
            var logger = Logger(label: "careless") { _ in StreamLogHandler.standardError(label: "careless") }
            logger.handler = RecordingLogHandler(
                wrapping: logger.handler, label: "careless", recent: recent, level: server.dependencies.configuration.runtimeLogLevel,
                time: server.time)
            let secrets = [
                "hunter2-very-secret", TestServer.adminToken, "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTA", "s3cr3t-basic-pass",
            ]
            logger.info("login attempt password=hunter2-very-secret user=admin")
            logger.info("calling", metadata: ["header": .string("X-API-Token: \(TestServer.adminToken)")])
            logger.warning("upstream said Authorization: Bearer c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTA")
            logger.error("fetching https://monitor:s3cr3t-basic-pass@pve.example:8006/api2/json failed")
            // A request made at debug (the level's own request started before the change).
            _ = try await client.execute(uri: "/api/health", method: .get)

            let download = try await client.execute(uri: "/api/logs/download", method: .get, headers: Self.admin)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"pulse-") == true)
            #expect(download.headers[.contentType] == "text/plain; charset=utf-8")
            let text = download.text
            #expect(text.contains("careless: login attempt password=[redacted] user=admin"), "\(text.suffix(800))")
            #expect(text.contains("pve.example:8006"), "the rest of a line stays readable")
            #expect(text.contains("debug pulse-test: request"), "the server's own request lines are there (at debug)")
            for secret in secrets { #expect(!text.contains(secret), "\(secret) leaked into the log download") }
        }
    }

    @Test func theStreamSendsTheBacklogThenEachNewLineUntilTheClientLeaves() async throws {
        try await TestServer.with { server, client in
            _ = try await client.execute(uri: "/api/logs/level", method: .post, headers: Self.admin, body: .json(#"{"level":"debug"}"#))
            try await server.app.application.test(.live) { live in
                let port = try #require(live.port)
                _ = try await live.execute(uri: "/api/health", method: .get)
                let recent = server.dependencies.configuration.recentLogs
                let stream = try await BlockingThread.run { () -> (Int32, String)? in
                    guard let fd = RawSocket.connect(port: port, receiveTimeout: .seconds(20)) else { return nil }
                    RawSocket.send(
                        fd, "GET /api/logs/stream?lines=20 HTTP/1.1\r\nHost: pulse\r\nX-API-Token: \(TestServer.adminToken)\r\n\r\n")
                    // The backlog: its last lines, the health check's request line among them.
                    return (fd, Self.read(fd, until: { $0.contains("/api/health") }))
                }
                let (fd, opening) = try #require(stream)
                defer { close(fd) }
                #expect(opening.hasPrefix("HTTP/1.1 200"))
                #expect(opening.lowercased().contains("content-type: text/event-stream"))
                #expect(opening.contains(#""path":"\/api\/health""#) || opening.contains("path=/api/health"), "\(opening)")
                #expect(recent.followerCount == 1)

                _ = try await live.execute(uri: "/api/version", method: .get)
                let more = try await BlockingThread.run { Self.read(fd, until: { $0.contains("/api/version") }) }
                let versionLine = more.components(separatedBy: "data: ").first { $0.contains("/api/version") }
                #expect(more.contains("/api/version"), "a line logged after the stream opened arrives: \(more)")
                let event = try #require(versionLine?.split(separator: "\n").first)
                let line = try AgentJSON.makeDecoder().decode(LogLine.self, from: Data(event.utf8))
                #expect(line.level == "debug" && line.source == "pulse-test", "request lines are at debug")

                // Leaving: shut the connection down (the deferred close releases the descriptor
                // once; closing it here too would close whatever reused the number meanwhile).
                shutdown(fd, Int32(SHUT_RDWR))
                // The server notices at its next write, and lets the follower go.
                var gone = false
                for _ in 0..<50 where !gone {
                    _ = try await live.execute(uri: "/api/health", method: .get)
                    gone = recent.followerCount == 0
                }
                #expect(gone, "a stream whose client left is still followed")
            }
        }
    }

    /// Reads from `fd` until `done` holds on everything read so far, the socket's receive timeout,
    /// or `limit` in all (a stream that keeps sending other lines would otherwise keep it reading).
    static func read(_ fd: Int32, within limit: Duration = .seconds(30), until done: (String) -> Bool) -> String {
        let deadline = ContinuousClock.now + limit
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while !done(String(decoding: data, as: UTF8.self)), ContinuousClock.now < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}

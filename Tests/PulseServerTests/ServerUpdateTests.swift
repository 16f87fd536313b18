import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import PulseAPI
@testable import PulseServer

/// The server's self-update end to end, against a local release feed (`UpdateFeedFixture`):
/// of a release signed with another key, one whose bytes are not its checksum, one cut short, an
/// older one and a good newer one, only the good one is installed; the binary is swapped with
/// the old one kept, the data folder is backed up first, and a rollback puts back the old binary
/// and the data as they were before the update. A "restart" is a new test server on the same
/// data folder and binary, after the restart plan's offline step has run.
@Suite("Server self-update against a local release feed")
struct ServerUpdateTests {
    /// The running binary (a stand-in script in a folder of its own) and the data folder that
    /// outlive each server of a test.
    struct Installation: Sendable {
        let folder: URL
        var binary: String { folder.appendingPathComponent("bin/pulse").path }
        var data: URL { folder.appendingPathComponent("data") }
        static let oldBinary = Array(UpdateFeedFixture.standIn(version: "0.1.0").utf8)

        static func make() throws -> Installation {
            let installation = Installation(folder: TestServer.temporaryFolder())
            try FileManager.default.createDirectory(at: installation.folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: installation.data, withIntermediateDirectories: true)
            try Data(oldBinary).write(to: URL(fileURLWithPath: installation.binary))
            chmod(installation.binary, 0o755)
            return installation
        }

        func contents(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map(Array.init) }
    }

    /// The admin token with a JSON body.
    static let adminJSON: HTTPFields = [.apiToken: TestServer.adminToken, .contentType: "application/json"]

    static func configure(
        _ configuration: inout ServerConfiguration, feed: UpdateFeedFixture, installation: Installation, restart: ServerRestart, version: String
    ) {
        configuration.updates.feedURL = feed.feedURL
        configuration.updates.releaseKey = feed.releaseKey
        configuration.updates.allowedPrivateTargets = ["127.0.0.0/8"]
        configuration.updates.binaryPath = installation.binary
        configuration.updates.runningVersion = version
        configuration.updates.deployment = .manual
        configuration.updates.restarter = restart
    }

    /// Sends `request` and waits for the job it queues to end; returns its last status.
    static func runJob(
        _ server: TestServer, _ client: some TestClientProtocol, _ path: String, body: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> UpdateStatus {
        var statuses = server.dependencies.updater.progress.watch().makeAsyncIterator()
        _ = await statuses.next()  // the status before the job
        let started = try await client.execute(
            uri: path, method: .post, headers: Self.adminJSON, body: .json(body))
        try #require(started.status == .ok, "\(path): \(started.status) \(started.text)", sourceLocation: sourceLocation)
        #expect(started.field("status", as: String.self) == "started", sourceLocation: sourceLocation)
        while let status = await statuses.next() {
            if status.status == .completed || status.status == .error { return status }
        }
        throw UpdateFeedFixture.FixtureError(description: "the progress stream ended")
    }

    static func history(_ client: some TestClientProtocol, query: String = "") async throws -> [[String: Any]] {
        let reply = try await client.execute(uri: "/api/updates/history\(query)", method: .get, headers: .token(TestServer.adminToken))
        try #require(reply.status == .ok, "\(reply.text)")
        return try #require(try reply.jsonObject()["entries"] as? [[String: Any]])
    }

    @Test(.timeLimit(.minutes(5)))
    func onlyTheSignedCompleteNewerReleaseIsInstalledAndARollbackRestoresTheBinaryAndTheData() async throws {
        let installation = try Installation.make()
        defer { try? FileManager.default.removeItem(at: installation.folder) }
        let fixture = try await UpdateFeedFixture.make()
        try await fixture.serve { feed in
            // Server 1 runs 0.1.0: it refuses every bad archive and installs the good one.
            let firstRestart = ServerRestart()
            let (updateID, tokenBefore) = try await TestServer.with(
                configure: { Self.configure(&$0, feed: feed, installation: installation, restart: firstRestart, version: "0.1.0") },
                dataDirectory: installation.data
            ) { server, client in
                let tokenBefore = try await server.token(scopes: ["settings:read"])
                for (name, reason) in [
                    ("bad-signature", "signature does not verify"), ("bad-checksum", "SHA-256"), ("truncated", "did not unpack completely"),
                ] {
                    let outcome = try await Self.runJob(server, client, "/api/updates/apply", body: #"{"downloadUrl":"\#(feed.url(of: name))"}"#)
                    #expect(outcome.status == .error, "\(name): \(outcome)")
                    #expect(outcome.error?.contains(reason) == true, "\(name): \(outcome.error ?? "no error")")
                    #expect(installation.contents(installation.binary) == Installation.oldBinary, "\(name) replaced the binary")
                    #expect(!FileManager.default.fileExists(atPath: installation.binary + ".previous"), "\(name) kept a previous binary")
                    #expect(!FileManager.default.fileExists(atPath: installation.data.appendingPathComponent("update-staging").path))
                }
                #expect((try? FileManager.default.contentsOfDirectory(atPath: installation.data.appendingPathComponent("backups").path)) ?? [] == [])

                let downgrade = try await client.execute(
                    uri: "/api/updates/apply", method: .post, headers: Self.adminJSON,
                    body: .json(#"{"downloadUrl":"\#(feed.url(of: "downgrade"))"}"#))
                #expect(downgrade.status == .conflict)
                #expect(downgrade.field("code", as: String.self) == "downgrade_refused")

                let good = try await Self.runJob(server, client, "/api/updates/apply", body: #"{"downloadUrl":"\#(feed.url(of: "good"))"}"#)
                #expect(good.status == .completed, "\(good)")
                #expect(installation.contents(installation.binary) == feed.offer("good").binary, "the binary is not the good release's")
                #expect(installation.contents(installation.binary + ".previous") == Installation.oldBinary, "the old binary was not kept")

                let entries = try await Self.history(client)
                #expect(entries.map { $0["version"] as? String } == ["0.2.0", "0.2.3", "0.2.2", "0.2.1"])
                #expect(entries.map { $0["status"] as? String } == ["completed", "failed", "failed", "failed"])
                #expect(entries.dropFirst().allSatisfy { ($0["error"] as? String)?.isEmpty == false && $0["backup_path"] is NSNull })
                let update = try #require(entries.first)
                #expect(update["action"] as? String == "update" && update["fromVersion"] as? String == "0.1.0")
                #expect(update["initiated_via"] as? String == "api" && update["related_event_id"] is NSNull)
                let backup = try #require(update["backup_path"] as? String)
                #expect(backup.hasPrefix(installation.data.appendingPathComponent("backups/pre-update-0.1.0-").path))
                #expect(FileManager.default.fileExists(atPath: backup + "/pulse.db"))
                #expect(FileManager.default.fileExists(atPath: backup + "/.encryption.key"))
                let updateID = try #require(update["id"] as? String)

                // The job asked for a restart; until it happens nothing more is accepted.
                #expect(
                    firstRestart.plan
                        == RestartPlan(
                            binaryPath: installation.binary, dataDirectory: installation.data.path, restoringBackup: nil, eventID: updateID))
                let again = try await client.execute(
                    uri: "/api/updates/apply", method: .post, headers: Self.adminJSON,
                    body: .json(#"{"downloadUrl":"\#(feed.url(of: "rc"))"}"#))
                #expect(again.status == .conflict && again.field("code", as: String.self) == "update_in_progress")
                return (updateID, tokenBefore)
            }
            try #require(firstRestart.plan).completeAfterShutdown()

            // Server 2 is the new build, 0.2.0, on the same data: a token made now postdates the backup.
            let secondRestart = ServerRestart()
            let (tokenAfter, secondDatabase) = try await TestServer.with(
                configure: { Self.configure(&$0, feed: feed, installation: installation, restart: secondRestart, version: "0.2.0") },
                dataDirectory: installation.data
            ) { server, client in
                let check = try await client.execute(uri: "/api/security/tokens", method: .get, headers: .token(tokenBefore))
                #expect(check.status == .ok, "the update lost the data: \(check.text)")
                let tokenAfter = try await server.token(scopes: ["settings:read"])
                let rollback = try await Self.runJob(server, client, "/api/updates/rollback", body: #"{"eventId":"\#(updateID)"}"#)
                #expect(rollback.status == .completed, "\(rollback)")
                #expect(installation.contents(installation.binary) == Installation.oldBinary, "the rollback did not put the old binary back")
                let plan = try #require(secondRestart.plan)
                #expect(plan.restoringBackup?.contains("/backups/pre-update-0.1.0-") == true)
                return (tokenAfter, server.dependencies.database)
            }
            // As `pulse` does once stopped: close the database, then put the backup in place.
            try secondDatabase.close()
            try #require(secondRestart.plan).completeAfterShutdown()

            // Server 3 is 0.1.0 again, on the data as it was before the update.
            try await TestServer.with(
                configure: { Self.configure(&$0, feed: feed, installation: installation, restart: ServerRestart(), version: "0.1.0") },
                dataDirectory: installation.data
            ) { _, client in
                let before = try await client.execute(uri: "/api/security/tokens", method: .get, headers: .token(tokenBefore))
                #expect(before.status == .ok, "a token from before the backup is gone: \(before.text)")
                let after = try await client.execute(uri: "/api/security/tokens", method: .get, headers: .token(tokenAfter))
                #expect(after.status == .unauthorized, "a token made after the backup survived the rollback")

                let entries = try await Self.history(client, query: "?limit=2")
                let rollback = try #require(entries.first)
                #expect(rollback["action"] as? String == "rollback" && rollback["status"] as? String == "completed")
                #expect(rollback["related_event_id"] as? String == updateID)
                #expect(rollback["version"] as? String == "0.1.0" && rollback["fromVersion"] as? String == "0.2.0")
                #expect(rollback["backup_path"] is NSNull)

                let twice = try await client.execute(
                    uri: "/api/updates/rollback", method: .post, headers: Self.adminJSON,
                    body: .json(#"{"eventId":"\#(updateID)"}"#))
                #expect(twice.status == .conflict && twice.field("code", as: String.self) == "rollback_not_possible", "\(twice.text)")
            }
        }
    }
}

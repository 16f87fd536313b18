import ArgumentParser
import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import Persistence
@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

/// `pulse reset-password`: the password from standard input, the user's sessions ended (in a
/// running server at its next flush), the reset audited without the password.
@Suite("pulse reset-password", .serialized)
struct ResetPasswordCommandTests {
    static let newPassword = "a brand new password 4711"

    /// Runs `pulse <arguments>` in this process with `input` as its standard input.
    static func run(_ arguments: [String], input: String) async throws {
        var command = try #require(try PulseCommand.parseAsRoot(arguments) as? any AsyncParsableCommand)
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        _ = input.withCString { write(ends[1], $0, strlen($0)) }
        close(ends[1])
        let saved = dup(STDIN_FILENO)
        dup2(ends[0], STDIN_FILENO)
        close(ends[0])
        defer {
            dup2(saved, STDIN_FILENO)
            close(saved)
        }
        try await command.run()
    }

    static func flush(_ server: TestServer) async {
        await PersistenceFlushService(
            tokens: server.dependencies.tokens, state: server.dependencies.state, persistence: server.dependencies.statePersistence,
            database: server.dependencies.database, interval: .seconds(5), logger: .init(label: "test"), sessions: server.dependencies.sessions
        ).flush()
    }

    @Test func resetPasswordBesideARunningServerChangesThePasswordAndEndsTheSessions() async throws {
        try await SessionSecurityTests.withUser { server, client in
            let login = try await SessionSecurityTests.loggedIn(client)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: login.cookie).status == .ok)

            try await Self.run(["reset-password", "--data-dir", server.dataDirectory.path], input: Self.newPassword + "\n")

            await Self.flush(server)
            #expect(try await client.execute(uri: "/api/state", method: .get, headers: login.cookie).status == .unauthorized, "session ended")
            #expect(try await SessionSecurityTests.login(client).status == .unauthorized, "the old password no longer works")
            #expect(try await SessionSecurityTests.login(client, password: Self.newPassword).status == .ok)
            let events = try server.dependencies.audit.recent(limit: 20)
            let reset = try #require(events.first { $0.event == "password_reset" })
            #expect(reset.details?.contains("user admin, 1 sessions ended") == true)
            #expect(!"\(events)".contains(Self.newPassword))
        }
    }

    @Test func aShortPasswordAnUnknownUserOrAPasswordArgumentChangeNothing() async throws {
        try await SessionSecurityTests.withUser { server, client in
            let folder = server.dataDirectory.path
            await #expect(throws: (any Error).self) { try await Self.run(["reset-password", "--data-dir", folder], input: "short\n") }
            await #expect(throws: (any Error).self) {
                try await Self.run(["reset-password", "--data-dir", folder, "--user", "nobody"], input: Self.newPassword + "\n")
            }
            await #expect(throws: (any Error).self) { try await Self.run(["reset-password", "--data-dir", folder], input: "") }
            let login = try await SessionSecurityTests.login(client)
            #expect(login.status == .ok, "the password is unchanged")
            let events = try server.dependencies.audit.recent(limit: 20)
            #expect(events.allSatisfy { $0.event != "password_reset" })
        }
    }

    @Test func thePasswordIsNeverAnArgumentAndHelpListsTheCommand() {
        #expect(throws: (any Error).self) { try PulseCommand.parseAsRoot(["reset-password", "--password", Self.newPassword]) }
        #expect(throws: (any Error).self) { try PulseCommand.parseAsRoot(["reset-password", Self.newPassword]) }
        #expect(PulseCommand.helpMessage().contains("reset-password"))
    }
}

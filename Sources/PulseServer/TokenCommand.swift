import AgentProtocol
import ArgumentParser
import Foundation
import Logging
import Persistence
import PulseAPI
import PulseSupport

/// `pulse token create|list|revoke`: token administration on the data folder, without a
/// running server or a network round trip.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens in the data folder.",
        subcommands: [Create.self, List.self, Revoke.self])

    /// Opens the token registry of the data folder the server options name (`--data-dir` is the
    /// server's own flag, given before or after the subcommand, or `PULSE_DATA_DIR`).
    static func openRegistry(_ server: PulseCommand) throws -> TokenRegistry {
        let configuration = try server.options.resolve(environment: ProcessInfo.processInfo.environment)
        let folder = DataDirectory(path: configuration.dataDirectory)
        try folder.prepare()
        let database = try PulseDatabase(path: folder.databasePath)
        return try TokenRegistry(database: database, time: SystemTimeSource())
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mint a token and print it (once) on standard output.")
        @ParentCommand var server: PulseCommand
        @Option(help: "A name to recognise the token by.") var name = "cli"
        @Option(name: .customLong("scope"), help: "A scope to grant; repeat for several. Default: * (full access).")
        var scopes: [String] = []
        @Flag(help: "Revoke existing tokens with the same name first.") var replace = false

        func run() async throws {
            let tokens = try TokenCommand.openRegistry(server)
            let parsed: [Scope]
            do {
                parsed = try Scope.parseList(scopes)
            } catch {
                throw ValidationError(error.description)
            }
            if replace { _ = try await tokens.revokeAll(named: name) }
            let (raw, _) = try await tokens.create(name: name, scopes: parsed)
            print(raw)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (hints only).")
        @ParentCommand var server: PulseCommand

        func run() async throws {
            let tokens = try TokenCommand.openRegistry(server)
            for record in await tokens.list() {
                print("\(record.id)  \(record.hint)  \(record.scopes.map(\.rawValue).joined(separator: ","))  \(record.name)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by ID.")
        @ParentCommand var server: PulseCommand
        @Argument(help: "The token ID from `pulse token list`.") var id: String

        func run() async throws {
            let tokens = try TokenCommand.openRegistry(server)
            guard try await tokens.revoke(id: id) else { throw ValidationError("no token with ID \(id)") }
            print("revoked \(id)")
        }
    }
}

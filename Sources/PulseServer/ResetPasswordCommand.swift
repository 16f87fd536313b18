import ArgumentParser
import Foundation
import Glibc
import Logging
import Persistence
import PulseAPI
import PulseSupport

/// `pulse reset-password`: sets a dashboard user's password in the data folder, for an operator
/// who is locked out, with or without the server running.
///
/// The password is read from standard input (prompted twice, without echo, on a terminal), never
/// from the command line, where `ps` and shell history would show it. Every session of the user
/// ends: at once in the database, and in a running server at its next flush (within seconds).
/// The reset is audited; the password is not written anywhere but as its bcrypt hash.
struct ResetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract: "Set a user's password (read from standard input) and end the user's sessions.",
        discussion: "Example: pulse reset-password --user admin < file-with-the-password")

    @ParentCommand var server: PulseCommand
    @Option(help: "The user; may be left out when there is only one.") var user: String?

    func run() async throws {
        let configuration = try server.options.resolve(environment: ProcessInfo.processInfo.environment)
        let folder = DataDirectory(path: configuration.dataDirectory)
        try folder.prepare()
        let database = try PulseDatabase(path: folder.databasePath)
        let users = UserStore(database: database)
        let username = try Self.chooseUser(user, among: try users.usernames())
        let password = try PasswordInput.read(prompt: "New password for \(username): ")
        let time = SystemTimeSource()
        do {
            try await users.setPassword(password, for: username, at: time.now())
        } catch let error as UserStore.PasswordError {
            throw ValidationError(error.description)
        }
        let ended = try await SessionStore(database: database, time: time).endAll(of: username)
        var logger = Logger(label: "pulse")
        logger.logLevel = .warning
        AuditLog(database: database, time: time, logger: logger)
            .record("password_reset", actor: "pulse reset-password", ip: nil, details: "user \(username), \(ended) sessions ended")
        print("Password of \(username) changed; \(ended) session(s) ended.")
    }

    /// `requested` when it exists, else the only user; an error naming the users otherwise.
    static func chooseUser(_ requested: String?, among usernames: [String]) throws -> String {
        guard !usernames.isEmpty else {
            throw ValidationError("No user exists yet; create one with the first-run setup or PULSE_AUTH_USER/PULSE_AUTH_PASS.")
        }
        if let requested {
            guard usernames.contains(requested) else {
                throw ValidationError("No user \(requested); the users are: \(usernames.joined(separator: ", "))")
            }
            return requested
        }
        guard usernames.count == 1, let only = usernames.first else {
            throw ValidationError("Name the user with --user; the users are: \(usernames.joined(separator: ", "))")
        }
        return only
    }
}

/// Reads a secret from standard input: on a terminal prompted twice without echo (on standard
/// error, so output stays clean), otherwise its first line.
///
/// Reads the file descriptor a byte at a time rather than through `stdin`'s buffer, so nothing
/// past the first line is consumed or kept in memory.
enum PasswordInput {
    static func read(prompt: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = firstLine(), !line.isEmpty else { throw ValidationError("No password on standard input") }
            return line
        }
        let first = try readHidden(prompt: prompt)
        let second = try readHidden(prompt: "Again: ")
        guard first == second else { throw ValidationError("The passwords differ") }
        return first
    }

    private static func readHidden(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = firstLine(), !line.isEmpty else { throw ValidationError("No password given") }
        return line
    }

    /// Standard input up to the first newline (a trailing `\r` dropped); nil at once at its end.
    private static func firstLine() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes.last == 13 ? bytes.dropLast() : bytes[...], as: UTF8.self) }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

package import Foundation
import HummingbirdBcrypt
import NIOPosix
package import Persistence
import PulseSupport
import Synchronization

/// Dashboard users. Passwords are stored only as bcrypt hashes (cost 12; tests use less, since
/// hundreds of them share two cores and one blocking pool).
///
/// Hashing and verifying take a quarter of a second of CPU each, so they run on NIO's blocking
/// thread pool: on Swift concurrency's pool (one thread per core) a login would stall report
/// ingestion for that long.
package struct UserStore: Sendable {
    /// Pulse's minimum password length.
    static let minimumPasswordLength = 12
    package static let defaultBcryptCost: UInt8 = 12

    package struct PasswordError: Error, CustomStringConvertible {
        package let description: String
    }

    package let database: PulseDatabase
    /// The bcrypt cost of new hashes; a stored hash is checked at the cost it was made with.
    package var bcryptCost: UInt8 = UserStore.defaultBcryptCost
    /// Checks a password against a stored hash; bcrypt on the blocking pool unless a test
    /// watches the calls.
    var checkPassword: @Sendable (_ password: String, _ hash: String) async throws -> Bool = UserStore.matches

    /// Whether any user exists; the bootstrap token is needed until one does.
    package func hasUsers() throws -> Bool {
        try UserTable(database: database).count() > 0
    }

    /// The usernames, sorted.
    package func usernames() throws -> [String] {
        try UserTable(database: database).usernames()
    }

    /// Creates or replaces `username` with `password`, which may already be a bcrypt hash
    /// (`$2a$`, `$2b$`, `$2y$`), as `PULSE_AUTH_PASS` allows.
    package func setPassword(_ password: String, for username: String, at time: Date) async throws {
        let hash: String
        if Self.isBcryptHash(password) {
            hash = password
        } else {
            guard password.count >= Self.minimumPasswordLength else {
                throw PasswordError(description: "password must be at least \(Self.minimumPasswordLength) characters")
            }
            if let existing = try passwordHash(for: username), try await Self.matches(password, hash: existing) { return }
            let cost = bcryptCost
            hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        }
        try UserTable(database: database).save(username: username, passwordHash: hash, createdAt: time)
    }

    /// True when `password` is `username`'s password. An unknown username costs the same bcrypt
    /// work as a known one, so the time of an answer does not tell which usernames exist.
    package func verify(username: String, password: String) async throws -> Bool {
        guard let hash = try passwordHash(for: username) else {
            _ = try await checkPassword(password, Self.unknownUserHash(cost: bcryptCost))
            return false
        }
        return try await checkPassword(password, hash)
    }

    /// A hash no password is known for, made once per cost (on first use).
    static func unknownUserHash(cost: UInt8) -> String {
        unknownUserHashes.withLock { hashes in
            if let hash = hashes[cost] { return hash }
            let hash = Bcrypt.hash(RandomHex.make(byteCount: 16), cost: cost)
            hashes[cost] = hash
            return hash
        }
    }
    private static let unknownUserHashes = Mutex<[UInt8: String]>([:])

    package static func matches(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    package func passwordHash(for username: String) throws -> String? {
        try UserTable(database: database).passwordHash(of: username)
    }

    static func isBcryptHash(_ value: String) -> Bool {
        value.count == 60 && ["$2a$", "$2b$", "$2y$"].contains(where: value.hasPrefix)
    }

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(
        database: PulseDatabase, bcryptCost: UInt8 = UserStore.defaultBcryptCost,
        checkPassword: @escaping @Sendable (_ password: String, _ hash: String) async throws -> Bool = UserStore.matches
    ) {
        self.database = database
        self.bcryptCost = bcryptCost
        self.checkPassword = checkPassword
    }
}

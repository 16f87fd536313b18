import Crypto
package import Foundation
package import Persistence
package import PulseSupport

/// Browser sessions: the `pulse_session` cookie's ID and the CSRF token that goes with it.
///
/// Both are random 32-byte values handed out once; only their SHA-256 hashes are kept (in
/// memory and in the database, so logins survive a restart). A session expires after 24 hours
/// without use, 30 days with "remember me"; each use slides the window.
package actor SessionStore {
    package struct Session: Sendable, Equatable {
        package var username: String
        package var csrfHash: String
        package var createdAt: Date
        package var lastActivity: Date
        package var rememberMe: Bool
        package var role: UserRole
        package var signIn: SignIn

        package var lifetime: TimeInterval { rememberMe ? SessionStore.rememberedLifetime : SessionStore.lifetime }
        func isExpired(at now: Date) -> Bool { now.timeIntervalSince(lastActivity) >= lifetime }
    }

    /// How a session's user signed in.
    package enum SignIn: String, Sendable {
        case password
        /// Single sign-on through the OpenID Connect provider.
        case oidc
    }

    /// What a login hands to the browser, once.
    package struct Issued: Sendable {
        package var id: String
        var csrfToken: String
        var maxAge: Int
    }

    package static let lifetime: TimeInterval = 24 * 3600
    static let rememberedLifetime: TimeInterval = 30 * 24 * 3600
    /// Last-activity writes to the database are spaced out; memory is always current.
    static let activityWriteInterval: TimeInterval = 60

    private let table: SessionTable
    private let time: any TimeSource
    private var sessions: [String: Session]
    private var lastWritten: [String: Date] = [:]

    package init(database: PulseDatabase, time: any TimeSource) throws {
        table = SessionTable(database: database)
        self.time = time
        sessions = try Self.load(from: table)
    }

    private static func load(from table: SessionTable) throws -> [String: Session] {
        var loaded: [String: Session] = [:]
        for stored in try table.all() {
            loaded[stored.idHash] = Session(
                username: stored.username, csrfHash: stored.csrfHash, createdAt: stored.createdAt, lastActivity: stored.lastActivity,
                rememberMe: stored.rememberMe, role: UserRole(rawValue: stored.role) ?? .viewer,
                signIn: SignIn(rawValue: stored.signIn) ?? .password)
        }
        return loaded
    }

    /// Re-reads the session table, so sessions that `pulse reset-password` ended beside the
    /// running server end here too; the activity of sessions still there is kept.
    package func reload() throws {
        var fresh = try Self.load(from: table)
        for (idHash, session) in sessions where fresh[idHash] != nil { fresh[idHash] = session }
        lastWritten = lastWritten.filter { fresh[$0.key] != nil }
        sessions = fresh
    }

    package static func hash(_ value: String) -> String { SHA256.hash(data: Data(value.utf8)).hexString }

    /// Starts a session for `username`: an admin unless `role` says otherwise.
    package func create(username: String, rememberMe: Bool, role: UserRole = .admin, signIn: SignIn = .password) throws -> Issued {
        let id = RandomHex.make(byteCount: 32)
        let csrf = RandomHex.make(byteCount: 32)
        let now = time.now()
        let session = Session(
            username: username, csrfHash: Self.hash(csrf), createdAt: now, lastActivity: now, rememberMe: rememberMe, role: role, signIn: signIn)
        let idHash = Self.hash(id)
        try table.insert(
            StoredSession(
                idHash: idHash, username: username, csrfHash: session.csrfHash, createdAt: now, lastActivity: now, rememberMe: rememberMe,
                role: role.rawValue, signIn: signIn.rawValue))
        sessions[idHash] = session
        lastWritten[idHash] = now
        return Issued(id: id, csrfToken: csrf, maxAge: Int(session.lifetime))
    }

    /// The live session for a cookie value, its window slid forward; nil when unknown or expired.
    func authenticate(_ id: String) -> Session? {
        let idHash = Self.hash(id)
        guard var session = sessions[idHash] else { return nil }
        let now = time.now()
        guard !session.isExpired(at: now) else {
            remove(idHash)
            return nil
        }
        session.lastActivity = now
        sessions[idHash] = session
        if now.timeIntervalSince(lastWritten[idHash] ?? .distantPast) >= Self.activityWriteInterval {
            lastWritten[idHash] = now
            try? table.setLastActivity(now, of: idHash)
        }
        return session
    }

    /// Whether `token` is the CSRF token of session `id`, compared in constant time.
    func csrfMatches(sessionID id: String, token: String) -> Bool {
        guard let session = sessions[Self.hash(id)] else { return false }
        return constantTimeEquals(Array(Self.hash(token).utf8), Array(session.csrfHash.utf8))
    }

    /// Ends one session (logout).
    package func end(_ id: String) {
        remove(Self.hash(id))
    }

    /// Ends every session of `username` but `keeping` (after a password change); returns how many.
    @discardableResult
    package func endAll(of username: String, keeping kept: String? = nil) -> Int {
        let keptHash = kept.map(Self.hash)
        let ended = sessions.filter { $0.value.username == username && $0.key != keptHash }.map(\.key)
        for idHash in ended { remove(idHash) }
        return ended.count
    }

    private func remove(_ idHash: String) {
        sessions[idHash] = nil
        lastWritten[idHash] = nil
        try? table.delete(idHash: idHash)
    }
}

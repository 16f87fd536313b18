package import Foundation
package import PulseSupport

/// Failed logins, counted per (username, client address) and per client address — never per
/// username alone, so nobody can lock a user out everywhere by failing on purpose: five failures
/// of one user from one address lock that pair out for 15 minutes, and twenty failures from one
/// address (any users) lock the address. The right password from an address that did not fail
/// still works. Records expire with their window and are pruned; their number is capped.
package actor LoginLockout {
    package struct Status: Sendable, Equatable {
        var lockedUntil: Date?
        /// Attempts left before a lockout.
        package var remaining: Int
    }

    static let maximumFailures = 5
    /// Failures from one address, whatever the usernames, before the address is locked.
    static let maximumFailuresPerAddress = 20
    static let lockoutDuration: TimeInterval = 15 * 60
    /// Records kept at most; the oldest go first when an attacker sprays usernames or addresses.
    static let maximumRecords = 50_000

    private struct Record {
        var failures: [Date] = []
        var lockedUntil: Date?
        var lastFailure: Date = .distantPast
    }

    private enum Key: Hashable {
        case pair(user: String, address: String)
        case address(String)

        var limit: Int {
            switch self {
            case .pair: LoginLockout.maximumFailures
            case .address: LoginLockout.maximumFailuresPerAddress
            }
        }
    }

    private let time: any TimeSource
    private var records: [Key: Record] = [:]
    private var lastPruned: Date = .distantPast

    package init(time: any TimeSource) {
        self.time = time
    }

    private static func keys(user: String, ip: String) -> [Key] {
        [.pair(user: user.lowercased(), address: ip), .address(ip)]
    }

    /// The later lockout of the pair and the address, and the fewer remaining attempts.
    package func status(user: String, ip: String) -> Status {
        let now = time.now()
        let statuses = Self.keys(user: user, ip: ip).map { status(of: $0, at: now) }
        return Status(
            lockedUntil: statuses.compactMap(\.lockedUntil).max(), remaining: statuses.map(\.remaining).min() ?? Self.maximumFailures)
    }

    private func status(of key: Key, at now: Date) -> Status {
        guard let record = records[key] else { return Status(lockedUntil: nil, remaining: key.limit) }
        if let until = record.lockedUntil, until > now { return Status(lockedUntil: until, remaining: 0) }
        let recent = record.failures.filter { now.timeIntervalSince($0) < Self.lockoutDuration }
        return Status(lockedUntil: nil, remaining: max(0, key.limit - recent.count))
    }

    /// Records a failure; returns the status after it.
    package func recordFailure(user: String, ip: String) -> Status {
        let now = time.now()
        for key in Self.keys(user: user, ip: ip) {
            var record = records[key] ?? Record()
            if let until = record.lockedUntil, until <= now { record = Record() }
            record.failures = record.failures.filter { now.timeIntervalSince($0) < Self.lockoutDuration } + [now]
            record.lastFailure = now
            if record.failures.count >= key.limit, record.lockedUntil == nil {
                record.lockedUntil = now.addingTimeInterval(Self.lockoutDuration)
            }
            records[key] = record
        }
        if records.count > Self.maximumRecords || now.timeIntervalSince(lastPruned) > 60 { prune(at: now) }
        return status(user: user, ip: ip)
    }

    /// A successful login clears the pair's count; the address keeps its failures for other users.
    package func recordSuccess(user: String, ip: String) {
        records[.pair(user: user.lowercased(), address: ip)] = nil
    }

    /// Lifts the lockouts of a username (from every address) or of an IP address
    /// (`POST /api/security/reset-lockout`); false when nothing was recorded.
    package func reset(_ identifier: String) -> Bool {
        let user = identifier.lowercased()
        let before = records.count
        records = records.filter { key, _ in
            switch key {
            case .pair(let recordedUser, let address): recordedUser != user && address != identifier
            case .address(let address): address != identifier
            }
        }
        return records.count < before
    }

    /// Drops records with no lockout and no failure inside the window; if that is not enough,
    /// the ones whose last failure is oldest.
    package func prune(at now: Date) {
        lastPruned = now
        records = records.filter { _, record in
            if let until = record.lockedUntil, until > now { return true }
            return record.failures.contains { now.timeIntervalSince($0) < Self.lockoutDuration }
        }
        if records.count > Self.maximumRecords {
            let excess = records.count - Self.maximumRecords * 9 / 10
            for (key, _) in records.sorted(by: { $0.value.lastFailure < $1.value.lastFailure }).prefix(excess) { records[key] = nil }
        }
    }

    /// How many records are kept (for tests and diagnostics).
    var recordCount: Int { records.count }
}

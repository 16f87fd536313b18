import Foundation

/// Failed logins per username and per client IP: five failures within the window lock that
/// user or address out for 15 minutes, so neither one password nor one attacker gets unlimited
/// guesses. A successful login clears the user's and the address's counts.
actor LoginLockout {
    struct Status: Sendable, Equatable {
        var lockedUntil: Date?
        /// Attempts left before a lockout.
        var remaining: Int
    }

    static let maximumFailures = 5
    static let lockoutDuration: TimeInterval = 15 * 60

    private struct Record {
        var failures: [Date] = []
        var lockedUntil: Date?
    }

    private let time: any TimeSource
    private var records: [String: Record] = [:]

    init(time: any TimeSource) {
        self.time = time
    }

    private static func key(user: String) -> String { "user:\(user.lowercased())" }
    private static func key(ip: String) -> String { "ip:\(ip)" }

    /// The later lockout of the user and the address, and the fewer remaining attempts.
    func status(user: String, ip: String) -> Status {
        let now = time.now()
        let statuses = [Self.key(user: user), Self.key(ip: ip)].map { status(of: $0, at: now) }
        return Status(
            lockedUntil: statuses.compactMap(\.lockedUntil).max(), remaining: statuses.map(\.remaining).min() ?? Self.maximumFailures)
    }

    private func status(of key: String, at now: Date) -> Status {
        guard let record = records[key] else { return Status(lockedUntil: nil, remaining: Self.maximumFailures) }
        if let until = record.lockedUntil, until > now { return Status(lockedUntil: until, remaining: 0) }
        let recent = record.failures.filter { now.timeIntervalSince($0) < Self.lockoutDuration }
        return Status(lockedUntil: nil, remaining: max(0, Self.maximumFailures - recent.count))
    }

    /// Records a failure; returns the status after it.
    func recordFailure(user: String, ip: String) -> Status {
        let now = time.now()
        for key in [Self.key(user: user), Self.key(ip: ip)] {
            var record = records[key] ?? Record()
            if let until = record.lockedUntil, until <= now { record = Record() }
            record.failures = record.failures.filter { now.timeIntervalSince($0) < Self.lockoutDuration } + [now]
            if record.failures.count >= Self.maximumFailures, record.lockedUntil == nil {
                record.lockedUntil = now.addingTimeInterval(Self.lockoutDuration)
            }
            records[key] = record
        }
        return status(user: user, ip: ip)
    }

    func recordSuccess(user: String, ip: String) {
        records[Self.key(user: user)] = nil
        records[Self.key(ip: ip)] = nil
    }

    /// Lifts the lockout of a username or an IP address (`POST /api/security/reset-lockout`);
    /// false when neither was recorded.
    func reset(_ identifier: String) -> Bool {
        let removedUser = records.removeValue(forKey: Self.key(user: identifier)) != nil
        let removedIP = records.removeValue(forKey: Self.key(ip: identifier)) != nil
        return removedUser || removedIP
    }
}

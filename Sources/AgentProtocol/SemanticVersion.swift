/// A `major.minor.patch[-prerelease]` version, compared as semver does (a pre-release sorts
/// before its release). A leading `v` is ignored, and so is build metadata (`+…`).
///
/// Part of the contract because both sides order versions by it: an agent only moves to a
/// strictly newer version than it runs, and the server only installs a newer release of itself.
public struct SemanticVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int
    public let prerelease: String?

    public init?(_ text: String) {
        var text = Substring(text.hasPrefix("v") ? String(text.dropFirst()) : text)
        if let plus = text.firstIndex(of: "+") { text = text[..<plus] }  // build metadata does not order
        var prerelease: String?
        if let dash = text.firstIndex(of: "-") {
            prerelease = String(text[text.index(after: dash)...])
            text = text[..<dash]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2], major >= 0, minor >= 0, patch >= 0 else {
            return nil
        }
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `major.minor.patch[-prerelease]`, without a `v`.
    public var description: String { "\(major).\(minor).\(patch)" + (prerelease.map { "-\($0)" } ?? "") }

    /// True for a pre-release (`1.2.0-rc.1`).
    public var isPrerelease: Bool { prerelease != nil }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease, rhs.prerelease) {
        case (nil, nil), (nil, _?): return false
        case (_?, nil): return true
        case (let left?, let right?): return precedes(left, right)
        }
    }

    /// Dot-separated identifiers, numeric ones compared as numbers (`rc.2` < `rc.10`).
    private static func precedes(_ left: String, _ right: String) -> Bool {
        let leftParts = left.split(separator: ".")
        let rightParts = right.split(separator: ".")
        for (a, b) in zip(leftParts, rightParts) where a != b {
            if let x = Int(a), let y = Int(b) { return x < y }
            return a < b
        }
        return leftParts.count < rightParts.count
    }
}

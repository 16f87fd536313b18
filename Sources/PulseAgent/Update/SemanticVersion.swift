/// A `major.minor.patch[-prerelease]` version, compared as semver does (a pre-release sorts
/// before its release). A leading `v` is ignored.
struct SemanticVersion: Comparable, Sendable, CustomStringConvertible {
    let major: Int
    let minor: Int
    let patch: Int
    let prerelease: String?

    init?(_ text: String) {
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

    var description: String { "\(major).\(minor).\(patch)" + (prerelease.map { "-\($0)" } ?? "") }

    static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease, rhs.prerelease) {
        case (nil, nil), (nil, _?): return false
        case (_?, nil): return true
        case (let left?, let right?): return left.compare(right, numerically: true) == .orderedAscending
        }
    }
}

private extension String {
    /// Dot-separated identifiers, numeric ones compared as numbers (`rc.2` < `rc.10`).
    func compare(_ other: String, numerically: Bool) -> ComparisonOrder {
        let left = split(separator: ".")
        let right = other.split(separator: ".")
        for (a, b) in zip(left, right) where a != b {
            if let x = Int(a), let y = Int(b) { return x < y ? .orderedAscending : .orderedDescending }
            return a < b ? .orderedAscending : .orderedDescending
        }
        return left.count == right.count ? .orderedSame : (left.count < right.count ? .orderedAscending : .orderedDescending)
    }
}

enum ComparisonOrder { case orderedAscending, orderedSame, orderedDescending }

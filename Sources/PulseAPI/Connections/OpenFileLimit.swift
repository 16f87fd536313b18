#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`). Every connection holds a descriptor, and
/// systemd and most shells start services with a soft limit of 1,024: about a thousand idle
/// sockets would then stop the server from accepting, opening its database or reading a file.
package enum OpenFileLimit {
    package struct Limits: Sendable, Equatable {
        package var soft: Int
        var hard: Int
    }

    /// The largest soft limit Linux accepts when the hard limit is unlimited (`fs.nr_open`'s default).
    static let ceilingWhenUnlimited = 1_048_576

    package static func current() -> Limits {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Limits(soft: 1024, hard: 1024) }
        return Limits(soft: count(limit.rlim_cur), hard: count(limit.rlim_max))
    }

    /// Raises the soft limit to the hard limit (which needs no privilege) and returns the limits
    /// before and after; when the kernel refuses, the limits stay as they were.
    @discardableResult
    package static func raiseToHardLimit() -> (before: Limits, after: Limits) {
        let before = current()
        var limit = rlimit()
        guard before.soft < before.hard, getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (before, before) }
        limit.rlim_cur = rlim_t(before.hard)  // the hard limit itself stays as it is
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return (before, current())
    }

    /// `RLIM_INFINITY` is all ones (Swift cannot import the C macro).
    private static func count(_ value: rlim_t) -> Int {
        value == rlim_t.max ? ceilingWhenUnlimited : Int(clamping: value)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Files the agent writes whole: written beside their final name, flushed, then renamed over it,
/// so a crash or power cut leaves the old file or the new one, never half of one.
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    /// Makes `folder` and each missing folder above it, mode 0700 (the agent's state is its own).
    static func makeFolders(_ folder: String) throws(WriteError) {
        var current = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw WriteError(description: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes `bytes` to `path` (mode 0600: state files may hold what a report holds).
    static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { break }
            remaining = remaining.dropFirst(written)
        }
        fsync(descriptor)
        close(descriptor)
        guard remaining.isEmpty, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw WriteError(description: "cannot write \(path)")
        }
    }
}

import Foundation

/// Replaces the server binary so that its path always names a complete binary, the old or the
/// new one, never a half-written file or nothing: the new file is written beside it and
/// renamed over it (rename(2) is atomic within a folder).
enum BinarySwap {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Installs `source` at `binary`, keeping the binary it replaces as `previous` (a hard link
    /// made before the rename, so `binary` never goes missing).
    static func install(_ source: String, at binary: String, keepingPreviousAs previous: String) throws {
        let staged = try stage(source, beside: binary)
        let previousStaged = previous + ".tmp-\(getpid())"
        unlink(previousStaged)
        guard link(binary, previousStaged) == 0 || copyFile(binary, to: previousStaged) else {
            unlink(staged)
            throw Failure(description: "cannot keep the running binary as \(previous): \(String(cString: strerror(errno)))")
        }
        try rename(previousStaged, over: previous, cleaningUp: [staged])
        try rename(staged, over: binary, cleaningUp: [])
        syncFolder(of: binary)
    }

    /// Puts the binary kept as `previous` back at `binary` (a rollback); `previous` is used up.
    static func restore(_ previous: String, at binary: String) throws {
        guard ReleaseArchive.isRegularFile(previous) else {
            throw Failure(description: "there is no previous binary at \(previous)")
        }
        try rename(previous, over: binary, cleaningUp: [])
        syncFolder(of: binary)
    }

    /// Copies `source` into a new file in `binary`'s folder, mode 0755, synced to disk.
    private static func stage(_ source: String, beside binary: String) throws -> String {
        let folder = (binary as NSString).deletingLastPathComponent
        let staged = folder + "/." + (binary as NSString).lastPathComponent + ".update-\(getpid())"
        unlink(staged)
        guard copyFile(source, to: staged) else {
            throw Failure(description: "cannot write the new binary in \(folder): \(String(cString: strerror(errno)))")
        }
        return staged
    }

    private static func rename(_ from: String, over to: String, cleaningUp leftovers: [String]) throws {
        guard Foundation.rename(from, to) == 0 else {
            let reason = String(cString: strerror(errno))
            for path in [from] + leftovers { unlink(path) }
            throw Failure(description: "cannot rename \(from) to \(to): \(reason)")
        }
    }

    /// A byte copy with mode 0755, synced; false (errno set) when any step fails.
    private static func copyFile(_ source: String, to destination: String) -> Bool {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return false }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard output >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var ok = true
        while ok {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                ok = count == 0
                break
            }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, count - offset) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 {
                    ok = false
                    break
                }
                offset += written
            }
        }
        if ok { ok = fchmod(output, 0o755) == 0 && fsync(output) == 0 }
        let saved = errno
        close(output)
        if !ok {
            unlink(destination)
            errno = saved
        }
        return ok
    }

    /// Makes the renames durable: a crash right after still finds the new names.
    private static func syncFolder(of path: String) {
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return }
        fsync(folder)
        close(folder)
    }
}

import Foundation

/// The server's data folder (`PULSE_DATA_DIR`) and the files it keeps there.
struct DataDirectory: Sendable {
    let url: URL

    init(path: String) {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// Creates the folder with mode 0700 if needed.
    func prepare() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    var databasePath: String { url.appendingPathComponent("pulse.db").path }
    /// The metrics history, a database of its own so its churn never slows configuration writes.
    var metricsDatabasePath: String { url.appendingPathComponent("metrics.db").path }
    var encryptionKeyPath: String { url.appendingPathComponent(".encryption.key").path }
    var bootstrapTokenPath: String { url.appendingPathComponent(".bootstrap_token").path }
}

/// Writes files so that a reader sees either the old or the new content, never half of one,
/// and so that secrets are never readable by others, not even for a moment.
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to a temporary file created with `mode`, syncs it, then renames it over `path`.
    static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp-\(RandomHex.make(byteCount: 6))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
    }
}

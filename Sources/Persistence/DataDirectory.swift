package import Foundation
import PulseSupport

/// The server's data folder (`PULSE_DATA_DIR`) and the files it keeps there.
package struct DataDirectory: Sendable {
    package let url: URL

    package init(path: String) {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// Creates the folder if needed and makes it 0700, also when it existed with a wider mode
    /// (an installer's `mkdir`, a permissive umask).
    package func prepare() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard chmod(url.path, 0o700) == 0 else {
            throw AtomicFile.WriteError(path: url.path, reason: "cannot make it private: \(String(cString: strerror(errno)))")
        }
    }

    package var databasePath: String { url.appendingPathComponent("pulse.db").path }
    /// The metrics history, a database of its own so its churn never slows configuration writes.
    package var metricsDatabasePath: String { url.appendingPathComponent("metrics.db").path }
    package var encryptionKeyPath: String { url.appendingPathComponent(".encryption.key").path }
    package var bootstrapTokenPath: String { url.appendingPathComponent(".bootstrap_token").path }
    /// The Ed25519 key agent builds are signed with (`AgentSigningKey`), mode 0600.
    package var agentSigningKeyPath: String { url.appendingPathComponent(".agent-signing.key").path }
    /// Batches waiting for the Prometheus remote write receiver (a folder, 0700).
    package var remoteWriteQueuePath: String { url.appendingPathComponent("remote-write").path }
}

/// SQLite database files (the database, `-wal`, `-shm`, `-journal`) readable by the server's
/// user only, whatever the umask: SQLite creates them 0644 less the umask, and gives the WAL and
/// shared-memory files the database file's mode, so the database file is made 0600 before the
/// first open and every file that exists is tightened.
package enum PrivateDatabaseFiles {
    static let suffixes = ["", "-wal", "-shm", "-journal"]

    package static func prepare(databaseAt path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno))) }
        close(descriptor)
        for suffix in suffixes where FileManager.default.fileExists(atPath: path + suffix) {
            guard chmod(path + suffix, 0o600) == 0 else {
                throw AtomicFile.WriteError(path: path + suffix, reason: "cannot make it private: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Writes files so that a reader sees either the old or the new content, never half of one,
/// and so that secrets are never readable by others, not even for a moment.
package enum AtomicFile {
    package struct WriteError: Error, CustomStringConvertible {
        package let path: String
        package let reason: String
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to a temporary file created with `mode`, syncs it, then renames it over `path`.
    package static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
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

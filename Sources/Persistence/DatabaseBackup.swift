import Foundation
import GRDB

extension PulseDatabase {
    /// Writes a consistent copy of the database to `path` (`VACUUM INTO`: one snapshot, taken
    /// while writers wait, so the copy never holds half of a change). The file is created 0600
    /// first, as SQLite would give it the umask's mode; `path` must not exist.
    package func copy(to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno))) }
        Foundation.close(descriptor)
        do {
            try pool.vacuum(into: path)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Closes every connection; later reads and writes fail. Called once the server has stopped,
    /// before its database file is replaced (`DatabaseFiles.replace`).
    package func close() throws {
        try pool.close()
    }
}

/// The files of one SQLite database, handled as a unit.
package enum DatabaseFiles {
    /// Puts a copy of `backup` (a database written by `PulseDatabase.copy`) in place of the
    /// database at `path`, which no connection may have open.
    ///
    /// The copy is written beside the database and renamed over it, so the folder holds either
    /// the old database or the restored one. The old write-ahead log and shared-memory files go
    /// first: SQLite would otherwise replay the old database's log onto the restored one.
    package static func replace(databaseAt path: String, with backup: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: backup))
        let staged = path + ".restore-\(ProcessInfo.processInfo.processIdentifier)"
        try AtomicFile.write(data, to: staged, mode: 0o600)
        for suffix in PrivateDatabaseFiles.suffixes.dropFirst() where FileManager.default.fileExists(atPath: path + suffix) {
            guard unlink(path + suffix) == 0 else {
                unlink(staged)
                throw AtomicFile.WriteError(path: path + suffix, reason: String(cString: strerror(errno)))
            }
        }
        guard rename(staged, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(staged)
            throw AtomicFile.WriteError(path: path, reason: reason)
        }
    }
}

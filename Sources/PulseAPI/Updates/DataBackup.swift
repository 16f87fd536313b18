package import Foundation
package import Persistence

/// The copy of the data folder taken before an update (`backup_path`) and put back by a
/// rollback: a consistent copy of the database (`PulseDatabase.copy`) and the key files its
/// secrets and agent signatures depend on. The metrics history (`metrics.db`) is not copied:
/// it can be far larger than everything else together, and losing the minutes of a rollback
/// from it costs nothing.
package enum DataBackup {
    /// The files copied besides the database, by name in the data folder, when present.
    static func keyFiles(of directory: DataDirectory) -> [String] {
        [directory.encryptionKeyPath, directory.agentSigningKeyPath].map { ($0 as NSString).lastPathComponent }
    }

    static let databaseName = (DataDirectory(path: "/").databasePath as NSString).lastPathComponent

    /// Takes a backup into a new folder `<folder>/pre-update-<version>-<stamp>` (0700) and
    /// returns its path; removes all but the newest `kept` backups.
    package static func create(
        database: PulseDatabase, dataDirectory: String, in folder: String, version: String, at time: Date, kept: Int
    ) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let path = folder + "/pre-update-\(version)-\(formatter.string(from: time))-\(UUID().uuidString.prefix(8).lowercased())"
        try manager.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        do {
            try database.copy(to: path + "/" + databaseName)
            for name in keyFiles(of: DataDirectory(path: dataDirectory)) where manager.fileExists(atPath: dataDirectory + "/" + name) {
                try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + name)), to: path + "/" + name, mode: 0o600)
            }
        } catch {
            try? manager.removeItem(atPath: path)
            throw error
        }
        prune(folder, keeping: kept, besides: path)
        return path
    }

    /// Puts `backup` back into `dataDirectory`. Only once the server has stopped and closed
    /// its database: the database file is replaced underneath.
    package static func restore(_ backup: String, into dataDirectory: String) throws {
        let manager = FileManager.default
        let database = backup + "/" + databaseName
        guard manager.fileExists(atPath: database) else { throw Incomplete(description: "the backup \(backup) holds no \(databaseName)") }
        for name in keyFiles(of: DataDirectory(path: dataDirectory)) where manager.fileExists(atPath: backup + "/" + name) {
            try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: backup + "/" + name)), to: dataDirectory + "/" + name, mode: 0o600)
        }
        try DatabaseFiles.replace(databaseAt: dataDirectory + "/" + databaseName, with: database)
    }

    struct Incomplete: Error, CustomStringConvertible {
        let description: String
    }

    /// True when `path` still holds a backup's database.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + databaseName)
    }

    /// Removes the oldest `pre-update-*` folders (by modification time) beyond `kept`, never `current`.
    private static func prune(_ folder: String, keeping kept: Int, besides current: String) {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("pre-update-") }
        let dated = names.map { folder + "/" + $0 }.filter { $0 != current }.map { path -> (String, Date) in
            let modified = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            return (path, modified)
        }
        for (path, _) in dated.sorted(by: { $0.1 > $1.1 }).dropFirst(max(0, kept - 1)) {
            try? manager.removeItem(atPath: path)
        }
    }
}

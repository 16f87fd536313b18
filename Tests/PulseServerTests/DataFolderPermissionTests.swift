import Foundation
import Testing

@testable import Alerting
@testable import Notifications
@testable import Persistence
@testable import ProxmoxPolling
@testable import PulseAPI
@testable import PulseCore
@testable import PulseServer
@testable import PulseSupport

/// Security finding 8: `pulse.db`, `metrics.db` and their `-wal`/`-shm` files were created with
/// SQLite's default mode (0644 less the umask), and an existing data folder kept its mode.
@Suite("The data folder and its databases are private whatever the umask")
struct DataFolderPermissionTests {
    static func mode(_ path: String) throws -> Int {
        try #require((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    @Test func databasesAndTheirWALFilesAre0600AndTheFolder0700() async throws {
        let folder = TestServer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        // The most permissive umask a service manager could hand us; restored before anything else runs here.
        let previous = umask(0)
        let server: TestServer
        do {
            server = try await TestServer.make(dataDirectory: folder)
            umask(previous)
        } catch {
            umask(previous)
            throw error
        }
        _ = try server.dependencies.database.write { db in try db.execute(sql: "SELECT 1") }
        #expect(try Self.mode(folder.path) == 0o700)
        var checked: [String] = []
        for name in ["pulse.db", "metrics.db"] {
            for suffix in PrivateDatabaseFiles.suffixes {
                let path = folder.appendingPathComponent(name + suffix).path
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let mode = try Self.mode(path)
                #expect(mode == 0o600, "\(name + suffix) is \(String(mode, radix: 8))")
                checked.append(name + suffix)
            }
        }
        #expect(checked.contains("pulse.db-wal") && checked.contains("metrics.db-wal"), "WAL files were checked: \(checked)")
    }
}

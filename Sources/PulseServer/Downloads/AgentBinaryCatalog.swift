import Crypto
import Foundation
import Glibc
import NIOPosix

/// An agent build on disk, with the SHA-256 of its contents.
struct AgentBinary: Sendable, Equatable {
    let platform: AgentPlatform
    let path: String
    let size: Int
    /// Lower-case hex.
    let sha256: String
}

/// The agent builds in the binaries folder (`PULSE_BIN_DIR`), with checksums computed once per
/// file version and recomputed when a file changes (another inode, size or modification time),
/// so a `make dist` or a package upgrade under a running server is picked up at the next request.
actor AgentBinaryCatalog {
    let directory: String
    private var checksums: [String: (identity: FileIdentity, sha256: String)] = [:]

    init(directory: String) {
        self.directory = directory
    }

    /// The build for `platform`, or nil when the folder has none.
    func binary(for platform: AgentPlatform) async throws -> AgentBinary? {
        let path = directory + "/" + platform.binaryName
        guard let identity = FileIdentity(path: path) else { return nil }
        if let cached = checksums[path], cached.identity == identity {
            return AgentBinary(platform: platform, path: path, size: identity.size, sha256: cached.sha256)
        }
        let digest = try await NIOThreadPool.singleton.runIfActive { try Self.sha256(ofFileAt: path) }
        // The file may have changed while it was hashed; keep the result only if it did not.
        guard FileIdentity(path: path) == identity else { return try await binary(for: platform) }
        checksums[path] = (identity, digest)
        return AgentBinary(platform: platform, path: path, size: identity.size, sha256: digest)
    }

    static func sha256(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// What tells one version of a regular file from another without reading it.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int
    let modifiedNanoseconds: Int64

    /// Nil when `path` is missing or not a regular file.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

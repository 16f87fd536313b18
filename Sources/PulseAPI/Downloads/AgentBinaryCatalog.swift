import Crypto
import Foundation
import Glibc
import NIOPosix

/// An agent build on disk, with the SHA-256 of its contents and the server's signature of them.
package struct AgentBinary: Sendable, Equatable {
    package let platform: AgentPlatform
    package let path: String
    package let size: Int
    /// Lower-case hex.
    package let sha256: String
    /// Ed25519 (`AgentSigningKey`) over exactly the file's bytes; 64 bytes.
    let signature: Data
}

/// The agent builds in the binaries folder (`PULSE_BIN_DIR`), with checksum and signature
/// computed once per file version and again when a file changes (another inode, size or
/// modification time), so a `make dist` or a package upgrade under a running server is picked
/// up at the next request.
package actor AgentBinaryCatalog {
    package let directory: String
    package let signingKey: AgentSigningKey
    private var seals: [String: (identity: FileIdentity, seal: Seal)] = [:]

    /// What is computed from a build's bytes.
    package struct Seal: Sendable {
        package let sha256: String
        let signature: Data
    }

    package init(directory: String, signingKey: AgentSigningKey) {
        self.directory = directory
        self.signingKey = signingKey
    }

    /// The build for `platform`, or nil when the folder has none.
    package func binary(for platform: AgentPlatform) async throws -> AgentBinary? {
        let path = directory + "/" + platform.binaryName
        guard let identity = FileIdentity(path: path) else { return nil }
        if let cached = seals[path], cached.identity == identity {
            return AgentBinary(platform: platform, path: path, size: identity.size, sha256: cached.seal.sha256, signature: cached.seal.signature)
        }
        let signingKey = signingKey
        let seal = try await NIOThreadPool.singleton.runIfActive { try Self.seal(fileAt: path, with: signingKey) }
        // The file may have changed while it was read; keep the result only if it did not.
        guard FileIdentity(path: path) == identity else { return try await binary(for: platform) }
        seals[path] = (identity, seal)
        return AgentBinary(platform: platform, path: path, size: identity.size, sha256: seal.sha256, signature: seal.signature)
    }

    /// Reads the whole file once: Ed25519 signs a message, not a stream, and the checksum comes
    /// from the same bytes.
    package static func seal(fileAt path: String, with signingKey: AgentSigningKey) throws -> Seal {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return Seal(sha256: digest, signature: try signingKey.signature(for: bytes))
    }
}

/// What tells one version of a regular file from another without reading it.
package struct FileIdentity: Equatable, Sendable {
    package let device: UInt64
    let inode: UInt64
    package let size: Int
    let modifiedNanoseconds: Int64

    /// Nil when `path` is missing or not a regular file.
    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

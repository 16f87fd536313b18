import AgentProtocol
import Crypto
import Foundation
import Glibc
import NIOPosix
import SystemCommand

/// A downloaded release archive on its way to becoming the server binary: checked against the
/// feed's checksum and the release key, unpacked by `tar` into a staging folder, and its binary
/// run once to make sure it starts and is the version the feed promised.
struct ReleaseArchive {
    /// Why an archive is not installed.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// Where the archive may hold the server binary.
    static let binaryNames = ["pulse", "bin/pulse"]

    let bytes: [UInt8]
    let release: ReleaseFeed.Release
    let archive: ReleaseFeed.Archive

    /// The checksum first (the bytes are what the feed lists), then the signature of the
    /// statement naming this version, platform and checksum.
    func verify(with key: ReleaseKey) throws {
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        guard digest == archive.sha256 else {
            throw Refusal(description: "the archive's SHA-256 is \(digest), but the feed lists \(archive.sha256)")
        }
        let statement = ReleaseStatement(version: release.version.description, platform: archive.platform, sha256: digest)
        guard key.verifies(signature: archive.signature, of: statement) else {
            throw Refusal(description: "the archive's signature does not verify with the configured release key")
        }
    }

    /// Writes the archive into `folder` (created empty, 0700), unpacks it there and returns the
    /// binary it holds, once that binary has answered `--version` with this release's version.
    func unpack(into folder: String) async throws -> String {
        let manager = FileManager.default
        try? manager.removeItem(atPath: folder)
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let archivePath = folder + "/release.tar.gz"
        let unpacked = folder + "/unpacked"
        try manager.createDirectory(atPath: unpacked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        // Tens of megabytes to disk: on NIO's blocking pool, not a Swift concurrency thread.
        let bytes = bytes
        let written = try await NIOThreadPool.singleton.runIfActive {
            FileManager.default.createFile(atPath: archivePath, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        }
        guard written else { throw Refusal(description: "cannot write the archive to \(archivePath)") }
        guard let tar = Command.find("tar") else { throw Refusal(description: "tar is not installed") }
        let result: Command.Result
        do {
            result = try await Command.run(
                tar, ["-x", "-z", "-f", archivePath, "-C", unpacked, "--no-same-owner"], timeout: .seconds(120), maximumOutput: 64 * 1024)
        } catch {
            throw Refusal(description: "the archive could not be unpacked: \(error)")
        }
        guard result.status == 0 else {
            throw Refusal(description: "the archive did not unpack completely (tar exited with status \(result.status))")
        }
        guard let binary = Self.binaryNames.map({ unpacked + "/" + $0 }).first(where: Self.isRegularFile) else {
            throw Refusal(description: "the archive holds no server binary (\(Self.binaryNames.joined(separator: " or ")))")
        }
        chmod(binary, 0o755)
        try await checkVersion(of: binary)
        return binary
    }

    /// Runs `binary --version`: a build for another architecture, one missing a library or a
    /// cut-off file fails here, before anything is replaced.
    private func checkVersion(of binary: String) async throws {
        let result: Command.Result
        do {
            result = try await Command.run(binary, ["--version"], timeout: .seconds(20), maximumOutput: 4096)
        } catch {
            throw Refusal(description: "the unpacked binary does not run: \(error)")
        }
        let reported = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, SemanticVersion(reported) == release.version else {
            throw Refusal(
                description: "the unpacked binary answers --version with '\(reported.prefix(80))' (status \(result.status)), not \(release.version)")
        }
    }

    /// A regular file, not a link (a link could point anywhere on this machine).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0
    }
}

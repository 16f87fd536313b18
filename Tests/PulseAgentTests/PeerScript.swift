import CurlHTTP
import Foundation
import Glibc

@testable import PulseAgent

/// A setup script from `../shared/peers/` (podman, kube-apiserver), run with its `PEER_DIR`.
///
/// Through system(3) rather than Foundation's Process: the scripts leave their services running
/// in the background, and a plain waitpid for the script itself is all that is wanted here.
///
/// The scripts install their Debian packages with apt-get, and two apt-get installs at once fail
/// at once on dpkg's lock (on a fresh machine the podman and apiserver suites would both install).
/// So every script run holds one machine-wide lock, taken with flock(1), for its whole run. The
/// lock is not inherited (`-o`): the services a script leaves running would otherwise hold it
/// for ever and every later script would wait on them.
enum PeerScript {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/peers").path

    /// The lock every peer script run holds.
    static let lockFile = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/pulse-peer-scripts.lock"

    /// Runs `script action`, its output appended to `log`; throws naming the log when it fails.
    static func run(_ script: String, _ action: String, peerDirectory: String, log: String) async throws {
        let command =
            "mkdir -p '\(peerDirectory)' && PEER_DIR='\(peerDirectory)' flock -o '\(lockFile)' bash '\(folder)/\(script)' \(action) >>'\(log)' 2>&1 </dev/null"
        let status = try await BlockingThread.run { system(command) }
        guard status == 0 else { throw TransportError(description: "\(script) \(action) failed (\(status)); see \(log)") }
    }

    /// Installs Debian packages through the repository's `scripts/install-deps.sh` (nothing when
    /// they are there), holding the same lock: `make test` installs them first, a test run
    /// alone does it here.
    static func install(_ packages: String...) async throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/install-deps.sh").path
        let command = "flock -o '\(lockFile)' '\(script)' \(packages.joined(separator: " ")) >/dev/null 2>&1 </dev/null"
        let status = try await BlockingThread.run { system(command) }
        guard status == 0 else { throw TransportError(description: "installing \(packages.joined(separator: ", ")) failed (\(status))") }
    }
}

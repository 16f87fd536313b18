import Foundation
import NIOPosix
import Persistence
import PulseSupport

/// The one-time first-run secret in `<data>/.bootstrap_token`.
///
/// Written at start while no admin user exists; whoever can read the data folder can then call
/// `POST /api/security/quick-setup` with it in `X-Setup-Token`. Successful setup deletes it.
package actor BootstrapToken {
    package nonisolated let path: String
    private var value: String?

    package init(path: String) {
        self.path = path
        value = (try? String(contentsOfFile: path, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates the file if none exists; returns true when it was written now.
    @discardableResult
    package func ensureExists() async throws -> Bool {
        guard value == nil || value?.isEmpty == true else { return false }
        let fresh = RandomHex.make(byteCount: 24)
        // Taken before the write so a second call during it finds it; given back if it fails.
        value = fresh
        let path = path
        do {
            // The write waits for fsync: on NIO's blocking pool, not on Swift concurrency's.
            try await NIOThreadPool.singleton.runIfActive { try AtomicFile.write(Data((fresh + "\n").utf8), to: path, mode: 0o600) }
        } catch {
            value = nil
            throw error
        }
        return true
    }

    /// Whether `candidate` is the current bootstrap token (constant-time).
    func accepts(_ candidate: String) -> Bool {
        guard let value, !value.isEmpty else { return false }
        let trimmed = candidate.trimmingCharacters(in: .whitespacesAndNewlines)
        return constantTimeEquals(Array(trimmed.utf8), Array(value.utf8))
    }

    /// True while a bootstrap token is outstanding.
    package var isActive: Bool { value?.isEmpty == false }

    /// Deletes the token after it has been used.
    package func consume() {
        value = nil
        unlink(path)
    }
}

import CurlHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Small files only root (the agent's user) may read: the agent ID, the Proxmox token secret.
enum PrivateFile {
    /// The file's text without surrounding whitespace; nil when missing, unreadable or blank.
    static func read(_ path: String) -> String? {
        let root = SystemRoot(path.hasPrefix("/") ? "/" : ".")
        guard let text = root.read(path.hasPrefix("/") ? path : "/" + path)?.trimmingASCIIWhitespace, !text.isEmpty else { return nil }
        return text
    }

    /// Writes `text` and a newline with mode 0600 through a temporary file and a rename (missing
    /// folders are made 0700); throws a description of what failed.
    static func write(_ text: String, to path: String) throws(AtomicFile.WriteError) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try AtomicFile.makeFolders(folder)
        try AtomicFile.write(Array((text + "\n").utf8), to: path)
    }

    /// A random 128-bit identifier in hex, for a new agent ID.
    static func randomIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }
}

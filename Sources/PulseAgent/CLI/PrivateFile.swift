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

    /// Writes `text` with mode 0600 through a temporary file and a rename (missing folders are
    /// made 0700); throws a description of what failed.
    static func write(_ text: String, to path: String) throws(PrivateFileError) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        var current = path.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw PrivateFileError(description: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
        }
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PrivateFileError(description: "cannot write \(path)")
        }
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

struct PrivateFileError: Error, CustomStringConvertible {
    let description: String
}

import Glibc

/// Files of `/proc`, whose size the kernel reports as 0.
public enum ProcFile {
    /// A `/proc` file read to its end: Foundation's `String(contentsOfFile:)` returns only the
    /// first read's 4 KB of a file whose size the kernel reports as 0 (a loaded machine's TCP
    /// table is far longer).
    public static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

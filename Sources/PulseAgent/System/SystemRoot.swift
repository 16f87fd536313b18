import CurlHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Where the agent reads `/proc`, `/sys` and `/etc` from: `/` on a real host, a recorded tree
/// in tests. Reads use plain POSIX calls, so the agent needs no Foundation.
struct SystemRoot: Sendable {
    /// The root folder, without a trailing slash ("" for the real `/`).
    let prefix: String

    init(_ path: String = "/") {
        var trimmed = path
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        prefix = trimmed
    }

    static let live = SystemRoot()

    /// The absolute path of `relative` (which starts with `/`).
    func path(_ relative: String) -> String { prefix + relative }

    /// The whole file as text, or nil if it cannot be read. Works for `/proc` files, whose size
    /// is reported as 0, by reading until end of file.
    func read(_ relative: String) -> String? {
        let descriptor = open(path(relative), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first line of a file, trimmed; for one-value files such as `/sys/.../speed`.
    func readValue(_ relative: String) -> String? {
        guard let text = read(relative) else { return nil }
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let trimmed = line.trimmingASCIIWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Names in a directory, without `.` and `..`, sorted.
    func list(_ relative: String) -> [String] {
        guard let directory = opendir(path(relative)) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func exists(_ relative: String) -> Bool { access(path(relative), F_OK) == 0 }
}

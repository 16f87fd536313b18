import AgentProtocol

#if canImport(Glibc)
import Glibc
#endif

/// `--benchmark-collections N` (for `make bench`): N host collections back to back, each also
/// encoded as the JSON that would be sent, then the process's CPU time per collection and RSS.
struct CollectionBenchmark {
    let collector: HostCollector
    let count: Int

    func run() async throws {
        _ = try await collector.collect()  // the first one waits for its own CPU sample window
        let before = Self.cpuSeconds()
        var bytes = 0
        for _ in 0..<max(1, count) {
            bytes += try AgentJSONEncoder().encode(try await collector.collect()).count
        }
        let perCollection = (Self.cpuSeconds() - before) / Double(max(1, count)) * 1000
        FileDescriptorOutput.standardOutput.write(
            "collections=\(count) cpu_ms_per_collection=\(perCollection) rss_kb=\(Self.statusKiB("VmRSS")) anon_kb=\(Self.statusKiB("RssAnon")) "
                + "binary_kb=\(Self.residentKiB(ofOwnBinary: true)) libraries_kb=\(Self.residentKiB(ofOwnBinary: false)) report_bytes=\(bytes / max(1, count))\n"
        )
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec)
            / 1e6
    }

    /// Resident kB of the agent's own executable, or of every other mapped file (the shared
    /// libraries: libc, libcurl and what libcurl links), from /proc/self/smaps.
    static func residentKiB(ofOwnBinary own: Bool) -> Int {
        let binary = SystemRoot.live.read("/proc/self/maps")?.split(separator: "\n").first?.split(separator: " ").last.map(String.init)
        var total = 0
        var current = ""
        for line in (SystemRoot.live.read("/proc/self/smaps") ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), first.first?.isHexDigit == true {
                current = fields.count >= 6 && fields[5].hasPrefix("/") ? String(fields[5]) : ""
            } else if fields.first == "Rss:", !current.isEmpty, (current == binary) == own, let kB = fields.dropFirst().first.flatMap({ Int($0) }) {
                total += kB
            }
        }
        return total
    }

    /// A `kB` line of /proc/self/status: `VmRSS` (all resident pages, including the shared
    /// file-backed pages of the binary and libraries) or `RssAnon` (memory only this process holds).
    static func statusKiB(_ field: String) -> Int {
        let status = SystemRoot.live.read("/proc/self/status") ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix(field + ":") }?
            .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
    }
}

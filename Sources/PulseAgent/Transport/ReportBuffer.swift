#if canImport(Glibc)
import CurlHTTP
import Glibc
#endif

/// Reports that could not be delivered yet, kept on disk so neither a server outage nor an
/// agent restart loses them.
///
/// One file per report, named `<sequence>-<kind>.json`, written to a temporary name and renamed,
/// so a crash never leaves half a report. At most `capacity` reports are kept; when full, the
/// oldest is dropped (the newest data is worth more to a monitoring server).
actor ReportBuffer {
    struct Entry: Sendable, Equatable {
        let sequence: UInt64
        let kind: ReportKind
        let body: [UInt8]
    }

    let directory: String
    let capacity: Int
    private var sequences: [(UInt64, ReportKind)] = []
    private var nextSequence: UInt64 = 1

    /// Opens (creating if needed) the buffer folder and picks up what an earlier run left.
    init(directory: String, capacity: Int) throws {
        self.directory = directory
        self.capacity = max(1, capacity)
        try Self.makeDirectory(directory)
        let root = SystemRoot("/")
        var found: [(UInt64, ReportKind)] = []
        for name in root.list(directory) where name.hasSuffix(".json") {
            let parts = name.dropLast(5).split(separator: "-", maxSplits: 1)
            guard parts.count == 2, let sequence = UInt64(parts[0]), let kind = ReportKind(rawValue: String(parts[1])) else { continue }
            found.append((sequence, kind))
        }
        sequences = found.sorted { $0.0 < $1.0 }
        nextSequence = (sequences.last?.0 ?? 0) + 1
    }

    var count: Int { sequences.count }

    /// Keeps `body`; returns how many old reports were dropped to make room.
    @discardableResult
    func append(_ kind: ReportKind, body: [UInt8]) throws -> Int {
        let sequence = nextSequence
        nextSequence += 1
        try Self.writeAtomically(body, to: path(sequence, kind))
        sequences.append((sequence, kind))
        var dropped = 0
        while sequences.count > capacity {
            let (oldest, oldestKind) = sequences.removeFirst()
            unlink(path(oldest, oldestKind))
            dropped += 1
        }
        return dropped
    }

    /// The oldest kept report.
    func oldest() -> Entry? {
        guard let (sequence, kind) = sequences.first else { return nil }
        guard let text = SystemRoot("/").read(path(sequence, kind)) else {
            // Unreadable (removed by hand?): forget it rather than block the queue.
            sequences.removeFirst()
            return oldest()
        }
        return Entry(sequence: sequence, kind: kind, body: Array(text.utf8))
    }

    /// Forgets a report once it was delivered (or rejected for good).
    func remove(_ sequence: UInt64) {
        guard let index = sequences.firstIndex(where: { $0.0 == sequence }) else { return }
        let (_, kind) = sequences.remove(at: index)
        unlink(path(sequence, kind))
    }

    private func path(_ sequence: UInt64, _ kind: ReportKind) -> String {
        let digits = String(sequence)
        return "\(directory)/\(String(repeating: "0", count: max(0, 20 - digits.count)))\(digits)-\(kind.rawValue).json"
    }

    private static func makeDirectory(_ path: String) throws {
        do {
            try AtomicFile.makeFolders(path)
        } catch {
            throw TransportError(description: error.description)
        }
    }

    private static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw TransportError(description: error.description)
        }
    }
}

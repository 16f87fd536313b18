import Foundation
import Persistence

/// Batches waiting to be sent, oldest first: one file per batch in a private folder, named
/// `<sequence>-<samples>.batch`, so the order and the sample counts survive a restart without
/// an index file. Each file is written whole or not at all (`AtomicFile`, mode 0600).
struct BatchQueue {
    struct Entry: Sendable, Equatable {
        let sequence: UInt64
        let samples: Int
        let bytes: Int
        let path: String
    }

    struct FolderError: Error, CustomStringConvertible {
        let description: String
    }

    let folder: String
    private(set) var entries: [Entry] = []
    private(set) var bytes = 0

    /// Opens (creating it 0700) the folder and lists the batches it holds; half-written files a
    /// crash left behind are removed.
    init(folder: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard chmod(folder, 0o700) == 0 else {
            throw FolderError(description: "cannot make \(folder) private: \(String(cString: strerror(errno)))")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            guard let entry = Self.entry(name: name, path: path) else {
                if name.contains(".tmp-") { unlink(path) }
                continue
            }
            entries.append(entry)
            bytes += entry.bytes
        }
        entries.sort { $0.sequence < $1.sequence }
    }

    /// The sequence number after the newest batch.
    var nextSequence: UInt64 { (entries.last?.sequence ?? 0) + 1 }

    /// Writes one batch's file (a blocking write and sync: call it off the cooperative threads).
    static func write(_ body: [UInt8], sequence: UInt64, samples: Int, folder: String) throws -> Entry {
        let name = String(sequence).leftPadded(to: 20) + "-\(samples).batch"
        let path = folder + "/" + name
        try AtomicFile.write(Data(body), to: path, mode: 0o600)
        return Entry(sequence: sequence, samples: samples, bytes: body.count, path: path)
    }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
        bytes += entry.bytes
    }

    /// Removes a batch and its file; nil when it was no longer queued.
    @discardableResult
    mutating func remove(_ sequence: UInt64) -> Entry? {
        guard let index = entries.firstIndex(where: { $0.sequence == sequence }) else { return nil }
        let entry = entries.remove(at: index)
        bytes -= entry.bytes
        unlink(entry.path)
        return entry
    }

    func body(of entry: Entry) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: entry.path)))
    }

    private static func entry(name: String, path: String) -> Entry? {
        guard name.hasSuffix(".batch") else { return nil }
        let parts = name.dropLast(".batch".count).split(separator: "-")
        guard parts.count == 2, let sequence = UInt64(parts[0]), let samples = Int(parts[1]),
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        else { return nil }
        return Entry(sequence: sequence, samples: samples, bytes: size, path: path)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

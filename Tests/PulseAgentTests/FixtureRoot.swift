import Foundation
import Testing

@testable import PulseAgent

/// The recorded system trees under `Fixtures/` (real files from real machines).
enum FixtureRoot {
    static let debian12VM = folder("debian12-vm")

    static func folder(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    static func text(_ relative: String, in root: String = debian12VM) throws -> String {
        try #require(SystemRoot(root).read(relative), "fixture file \(relative) is missing")
    }

    /// A writable copy of a fixture tree, removed by the caller.
    static func copy(_ root: String) throws -> URL {
        let destination = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-agent-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: root), to: destination)
        return destination
    }

    /// The built `pulse-agent` next to the test bundle.
    static var agentBinary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/pulse-agent").standardizedFileURL.path
    }
}

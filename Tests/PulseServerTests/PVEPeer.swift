import Foundation
import Testing

/// A fakepve cluster (Tests/PulseServerTests/Fixtures/tools/pve-peer.py) for one test: started
/// on a free port, driven with commands, killed at the end.
final class PVEPeer: @unchecked Sendable {
    struct Info: Decodable {
        let url: String
        let cafile: String
        let fingerprint: String
        let tokenId: String
        let tokenSecret: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let info: Info
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let folder: URL

    /// Runs `body` with a peer of `nodes` nodes and `guests` guests (Ceph storage and backups included).
    static func with<T>(nodes: Int = 2, guests: Int = 6, _ body: (PVEPeer) async throws -> T) async throws -> T {
        let peer = try start(nodes: nodes, guests: guests)
        defer { peer.stop() }
        return try await body(peer)
    }

    private static func start(nodes: Int, guests: Int) throws -> PVEPeer {
        let python = try venvPython()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-pve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools/pve-peer.py").path, folder.path,
            "--nodes", String(nodes), "--guests", String(guests), "--ceph", "--backups",
        ]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let first = try readLine(stdout.fileHandleForReading)
        let info = try JSONDecoder().decode(Info.self, from: Data(first.utf8))
        return PVEPeer(info: info, process: process, input: stdin.fileHandleForWriting, output: stdout.fileHandleForReading, folder: folder)
    }

    private init(info: Info, process: Process, input: FileHandle, output: FileHandle, folder: URL) {
        self.info = info
        self.process = process
        self.input = input
        self.output = output
        self.folder = folder
    }

    /// Sends one command (see pve-peer.py) and returns its answer; a refused command fails the test.
    @discardableResult
    func command(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        input.write(Data((line + "\n").utf8))
        let answer = try Self.readLine(output)
        #expect(answer.hasPrefix("ok"), "peer refused '\(line)': \(answer)", sourceLocation: sourceLocation)
        return answer
    }

    /// Requests the peer served since the last call.
    func requestCount() throws -> Int {
        Int(try command("requests").split(separator: " ").last ?? "") ?? -1
    }

    func stop() {
        try? input.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    private static func venvPython() throws -> String {
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [repository.appendingPathComponent("scripts/fakepve-venv.sh").path]
        let out = Pipe()
        script.standardOutput = out
        try script.run()
        let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        script.waitUntilExit()
        guard script.terminationStatus == 0, !path.isEmpty else {
            throw PeerError(description: "scripts/fakepve-venv.sh failed (\(script.terminationStatus)); fakepve could not be installed from PyPI")
        }
        return path
    }

    private static func readLine(_ handle: FileHandle) throws -> String {
        var bytes: [UInt8] = []
        while true {
            guard let byte = try handle.read(upToCount: 1), let first = byte.first else {
                throw PeerError(description: "the PVE peer ended early")
            }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }

    struct PeerError: Error, CustomStringConvertible { let description: String }
}

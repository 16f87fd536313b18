import CurlHTTP
import Foundation
import TestSupport
import Testing

/// A Python peer from Tests/PulseServerTests/Fixtures/tools, run with fakepve's venv: started,
/// read for its one JSON line of connection details, driven with commands, killed at the end.
final class PeerProcess: @unchecked Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The first line the peer printed (its connection details, JSON).
    let firstLine: Data
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let folder: URL

    /// Starts `script` with a private folder as its first argument, then `arguments`.
    ///
    /// Every read of the peer's output happens on a thread of its own (`BlockingThread`): a
    /// blocked read on the cooperative pool would stall every other test in the process.
    init(script: String, arguments: [String]) async throws {
        let python = try await Self.venvPython()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.repository.appendingPathComponent("Tests/PulseServerTests/Fixtures/tools/\(script)").path, folder.path] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = stdin.fileHandleForWriting
        let output = stdout.fileHandleForReading
        self.output = output
        firstLine = Data(try await BlockingThread.run { try Self.readLine(output) }.utf8)
    }

    /// Sends one command and returns its answer; a refused command fails the test.
    @discardableResult
    func command(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        input.write(Data((line + "\n").utf8))
        let output = output
        let answer = try await BlockingThread.run { try Self.readLine(output) }
        #expect(answer.hasPrefix("ok"), "peer refused '\(line)': \(answer)", sourceLocation: sourceLocation)
        return answer
    }

    func stop() async {
        try? input.close()
        _ = try? await ChildProcess.stop(process, signal: SIGKILL)
        try? FileManager.default.removeItem(at: folder)
    }

    private static func venvPython() async throws -> String {
        let script = try await ChildProcess.run("/bin/bash", [repository.appendingPathComponent("scripts/fakepve-venv.sh").path])
        let path = script.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard script.status == 0, !path.isEmpty else {
            throw PeerError(description: "scripts/fakepve-venv.sh failed (\(script.status)); fakepve could not be installed from PyPI")
        }
        return path
    }

    private static func readLine(_ handle: FileHandle) throws -> String {
        var bytes: [UInt8] = []
        while true {
            guard let byte = try handle.read(upToCount: 1), let first = byte.first else {
                throw PeerError(description: "the peer ended early")
            }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }

    struct PeerError: Error, CustomStringConvertible { let description: String }
}

/// Connection details of one peer endpoint.
struct PeerEndpoint: Decodable {
    let url: String
    let fingerprint: String
    let tokenId: String
    let tokenSecret: String
    var password: String?
}

/// A peer process with its decoded connection details, for the length of one test.
final class Peer<Info: Decodable>: @unchecked Sendable {
    let process: PeerProcess
    let info: Info

    static func with<T>(script: String, arguments: [String], _ body: (Peer) async throws -> T) async throws -> T {
        let process = try await PeerProcess(script: script, arguments: arguments)
        return try await ChildProcess.running(
            { try await body(Peer(process: process, info: try JSONDecoder().decode(Info.self, from: process.firstLine))) },
            thenAlways: { await process.stop() })
    }

    private init(process: PeerProcess, info: Info) {
        self.process = process
        self.info = info
    }

    @discardableResult
    func command(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await process.command(line, sourceLocation: sourceLocation)
    }
}

/// A fakepve cluster (Fixtures/tools/pve-peer.py) with Ceph storage and backups.
typealias PVEPeer = Peer<PeerEndpoint>

extension Peer where Info == PeerEndpoint {
    static func with<T>(nodes: Int = 2, guests: Int = 6, _ body: (PVEPeer) async throws -> T) async throws -> T {
        try await with(script: "pve-peer.py", arguments: ["--nodes", String(nodes), "--guests", String(guests), "--ceph", "--backups"], body)
    }
}

extension Peer where Info == PeerEndpoint {
    /// One fakepve node (`pve1`, one guest) listening on `host:port`.
    static func with<T>(host: String, port: Int, _ body: (PVEPeer) async throws -> T) async throws -> T {
        try await with(script: "pve-peer.py", arguments: ["--nodes", "1", "--guests", "1", "--host", host, "--port", String(port)], body)
    }
}

/// The PBS and PMG fixture servers (Fixtures/tools/pbs-pmg-fixture.py).
struct PBSPMGInfo: Decodable {
    let pbs: PeerEndpoint
    let pmg: PeerEndpoint
}

typealias PBSPMGFixture = Peer<PBSPMGInfo>

extension Peer where Info == PBSPMGInfo {
    static func with<T>(_ body: (PBSPMGFixture) async throws -> T) async throws -> T {
        try await with(script: "pbs-pmg-fixture.py", arguments: [], body)
    }

    /// The fixtures on the given `host:port` addresses, and with `other` a TLS web server that is
    /// no Proxmox product.
    static func with<T>(pbs: String, pmg: String, other: String? = nil, _ body: (PBSPMGFixture) async throws -> T) async throws -> T {
        try await with(script: "pbs-pmg-fixture.py", arguments: ["--pbs", pbs, "--pmg", pmg] + (other.map { ["--other", $0] } ?? []), body)
    }
}

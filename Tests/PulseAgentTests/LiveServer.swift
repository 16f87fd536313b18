import CurlHTTP
import Foundation
import Glibc
import TestSupport
import Testing

@testable import PulseAgent

/// A real `pulse` process on a free loopback port, in a temporary folder that goes away with
/// it, accepting `token` with full access (as `API_TOKENS` would): what the end-to-end tests run
/// agents against.
final class LiveServer {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-live-\(UUID().uuidString)")
    let token: String
    let tokenFile: URL
    private(set) var url = ""
    private var port = 0
    /// Holds the port while the server is stopped (a restart), so no other test's server takes it.
    private var reservation: PortReservation?
    let processes = EndToEndTests.Processes()
    private(set) var process: Process?
    private var arguments: [String] = []
    let client = CurlClient(timeout: .seconds(5))

    init(token: String = String(repeating: "ab", count: 32), extraArguments: [String] = []) async throws {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        self.token = token
        tokenFile = work.appendingPathComponent("token")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        // The port is free when picked but another test may bind it before the server does;
        // then the server exits at once and another port is tried.
        for attempt in 1...3 {
            port = EndToEndTests.freePort()
            url = "http://127.0.0.1:\(port)"
            arguments =
                [
                    "--data-dir", work.appendingPathComponent("data").path, "--bind-address", "127.0.0.1", "--port", String(port),
                    "--api-tokens-file", tokenFile.path, "--log-level", "warning",
                ] + extraArguments
            if try await launch() { return }
            #expect(attempt < 3, "the server did not start on three ports; see \(work.path)/server.log")
        }
    }

    /// Starts (or restarts) the server and waits for `/api/health`.
    func start() async throws {
        #expect(try await launch(), "the server did not answer /api/health")
    }

    /// Starts the server; true once `/api/health` answers from its own listening socket, false
    /// if the process ended first.
    private func launch() async throws -> Bool {
        reservation?.release()
        reservation = nil
        let process = try processes.start(EndToEndTests.serverBinary, arguments, log: work.appendingPathComponent("server.log"))
        self.process = process
        let client = client
        let url = url
        let port = port
        var exited = false
        let healthy = try await EndToEndTests.eventually(30) {
            if !process.isRunning {
                exited = true
                return true
            }
            guard PortReservation.isListening(onPort: port, heldBy: process.processIdentifier) else { return false }
            return (try? await client.get(url + "/api/health", headers: []))?.status == 200
        }
        return healthy && !exited
    }

    /// SIGINT, and wait: the server's graceful shutdown (a server still running 30 s later fails
    /// the test and is killed).
    func stop() async throws {
        guard let process else { return }
        if try await !ChildProcess.stop(process, signal: SIGINT) {
            Issue.record("the server did not shut down within 30 s of SIGINT; see \(work.path)")
        }
        reservation = PortReservation(port: port)
    }

    /// `GET /api/state` as the token's holder; nil when the server does not answer.
    func state() async -> [String: Any]? {
        guard let reply = try? await client.get(url + "/api/state", headers: ["X-API-Token: \(token)"]), reply.status == 200 else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
    }

    /// One collection of the state (`hosts`, `dockerHosts`, …).
    func objects(_ key: String) async -> [[String: Any]] {
        await state()?[key] as? [[String: Any]] ?? []
    }

    deinit {
        for process in processes.running where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: work)
    }
}

import CurlHTTP
import Foundation

/// Runs a program to its end, off Swift concurrency's few threads.
///
/// Reading a pipe to its end and waiting for a process both block. On the cooperative pool
/// (two threads on a two-core machine) that would stall every other test in the process, and a
/// test serving a socket from a task would miss its client's deadline; on a thread of its own it
/// stalls nothing.
public enum ChildProcess {
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: Data
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments`; its stdout (and stderr when `mergingErrors`) is the
    /// output, otherwise stderr goes to /dev/null.
    public static func run(_ executable: String, _ arguments: [String], mergingErrors: Bool = false) async throws -> Outcome {
        try await BlockingThread.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = mergingErrors ? output : FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, output: data)
        }
    }

    /// The value of `body`, with `cleanup` awaited after it whether it returned or threw: a peer's
    /// stop waits for its process, and Swift does not allow `await` in a `defer`.
    public static func running<T>(_ body: () async throws -> T, thenAlways cleanup: () async -> Void) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
        return result
    }

    /// Waits for a process started elsewhere to end.
    public static func waitForExit(_ process: Process) async throws {
        try await BlockingThread.run { process.waitUntilExit() }
    }

    /// Sends `signal` and waits at most `patience` for the process to end; past that, SIGKILL.
    /// Returns whether it ended by itself in time: an unbounded wait for a child that never ends
    /// hangs the whole test run with nothing said, a bounded one fails the test that started it.
    @discardableResult
    public static func stop(_ process: Process, signal: Int32, patience: Duration = .seconds(30)) async throws -> Bool {
        guard process.isRunning else { return true }
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + patience
        while process.isRunning, ContinuousClock.now < deadline {
            // Waiting on an external process, not standing in for a clock.
            try? await Task.sleep(for: .milliseconds(50))
        }
        let ended = !process.isRunning
        if !ended { kill(process.processIdentifier, SIGKILL) }
        try await waitForExit(process)
        return ended
    }
}

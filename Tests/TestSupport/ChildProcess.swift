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

    /// Waits for a process started elsewhere to end.
    public static func waitForExit(_ process: Process) async throws {
        try await BlockingThread.run { process.waitUntilExit() }
    }
}

#if canImport(Glibc)
import CurlHTTP
import Glibc
#endif

/// Runs a system tool (`smartctl`, `mdadm`, `zpool`, `ceph`) without a shell and without
/// Foundation: `posix_spawn` with stdout captured, stderr discarded, and a time limit after which
/// the process is killed.
enum Command {
    struct Result: Sendable, Equatable {
        let status: Int32
        let output: [UInt8]
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    /// The first `name` found in the usual system folders, or nil.
    static func find(_ name: String, in folders: [String] = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]) -> String? {
        folders.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Runs `path` with a minimal environment (`PATH`, `LC_ALL=C`) plus `environment`.
    static func run(
        _ path: String, _ arguments: [String], timeout: Duration = .seconds(10), environment: [String: String] = [:]
    ) async throws -> Result {
        try await BlockingThread.run { try runBlocking(path, arguments, timeout: timeout, extraEnvironment: environment) }
    }

    private static func runBlocking(_ path: String, _ arguments: [String], timeout: Duration, extraEnvironment: [String: String]) throws -> Result {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"] + extraEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let environment = variables.map { strdup($0) } + [nil]
        defer { for pointer in environment { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environment)
        close(pipe[1])
        guard spawned == 0 else {
            close(pipe[0])
            throw Failure(description: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }

        let deadline = ContinuousClock.now + timeout
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var descriptor = pollfd(fd: pipe[0], events: Int16(POLLIN), revents: 0)
        var timedOut = false
        while true {
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(max(0, remaining.wholeMilliseconds))
            if milliseconds == 0 { timedOut = true; break }
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { timedOut = ready == 0; break }
            let count = chunk.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if count <= 0 { break }
            output.append(contentsOf: chunk[0..<count])
            if output.count > 16 * 1024 * 1024 { break }  // no tool we run prints this much
        }
        close(pipe[0])
        if timedOut { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if timedOut { throw Failure(description: "\(path) did not finish within \(timeout)") }
        // WIFEXITED / WEXITSTATUS, spelled out (they are macros in C).
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitStatus, output: output)
    }
}

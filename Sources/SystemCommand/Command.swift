#if canImport(Glibc)
import CurlHTTP
import Glibc
#endif

/// Runs a program without a shell and without Foundation: `posix_spawn` of an absolute path with
/// an argv array, stdout captured (up to a cap), stderr discarded, a minimal environment, and a
/// time limit after which the process is killed. The agent's tools (`smartctl`, `mdadm`, `zpool`,
/// `ceph`) and the server's Apprise CLI run through it; nothing here parses a command line.
public enum Command {
    /// How a finished program ended and what it printed.
    public struct Result: Sendable, Equatable {
        /// The exit status, or 128 + the signal that ended it.
        public let status: Int32
        /// Standard output, at most `maximumOutput` bytes of it.
        public let output: [UInt8]
        public var text: String { String(decoding: output, as: UTF8.self) }

        public init(status: Int32, output: [UInt8]) {
            self.status = status
            self.output = output
        }
    }

    /// The program could not be started or did not finish in time.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The first `name` found in the usual system folders, or nil.
    public static func find(_ name: String, in folders: [String] = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"])
        -> String?
    {
        folders.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// The first `name` in the folders of a `PATH`-style list, or nil. A `name` with a slash is
    /// taken as a path and returned only when it is absolute and executable.
    public static func find(_ name: String, searchPath: String) -> String? {
        if name.contains("/") { return name.hasPrefix("/") && access(name, X_OK) == 0 ? name : nil }
        return find(name, in: searchPath.split(separator: ":").map(String.init).filter { $0.hasPrefix("/") })
    }

    /// Runs the program at the absolute `path` with `arguments` as its argv (no shell, no `env`),
    /// a minimal environment (`PATH`, `LC_ALL=C`, each replaced by `environment` if it names them) plus `environment`, and at most `timeout`: then
    /// it is killed and `Failure` thrown. Output past `maximumOutput` bytes is not read.
    public static func run(
        _ path: String, _ arguments: [String], timeout: Duration = .seconds(10), environment: [String: String] = [:],
        maximumOutput: Int = 16 * 1024 * 1024
    ) async throws -> Result {
        try await BlockingThread.run {
            try runBlocking(path, arguments, timeout: timeout, extraEnvironment: environment, maximumOutput: maximumOutput)
        }
    }

    private static func runBlocking(
        _ path: String, _ arguments: [String], timeout: Duration, extraEnvironment: [String: String], maximumOutput: Int
    ) throws -> Result {
        guard path.hasPrefix("/") else { throw Failure(description: "cannot run \(path): not an absolute path") }
        var pipe: [Int32] = [0, 0]
        // Close-on-exec, so a program another thread starts meanwhile does not inherit the write
        // end and hold this reader's end of file open (the dup2 onto stdout clears the flag).
        guard systemPipe2(&pipe, O_CLOEXEC) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        // Nothing else the process has open reaches the program (sockets, database files, files
        // another thread is writing, which would make a script it writes "text file busy").
        _ = spawnActionsCloseFrom(&actions, 3)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let merged = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"].merging(extraEnvironment) { $1 }
        let variables = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let environment = variables.map { strdup($0) } + [nil]
        defer { for pointer in environment { free(pointer) } }
        // Its own process group, so a timeout also ends whatever the program started.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environment)
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
        var overflowed = false
        while true {
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(max(0, remaining.wholeMilliseconds))
            if milliseconds == 0 {
                timedOut = true
                break
            }
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 {
                timedOut = ready == 0
                break
            }
            let count = chunk.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if count <= 0 { break }
            output.append(contentsOf: chunk[0..<min(count, maximumOutput - output.count)])
            if output.count >= maximumOutput {
                overflowed = true
                break
            }
        }
        close(pipe[0])
        var status: Int32 = 0
        // A program may close its output and go on running: it still gets only the time left.
        while !timedOut && !overflowed {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { break }
            if ContinuousClock.now >= deadline {
                timedOut = true
                break
            }
            usleep(5_000)
        }
        if timedOut || overflowed {
            kill(-pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        if timedOut { throw Failure(description: "\(path) did not finish within \(timeout)") }
        if overflowed { throw Failure(description: "\(path) printed more than \(maximumOutput) bytes") }
        // WIFEXITED / WEXITSTATUS, spelled out (they are macros in C).
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitStatus, output: output)
    }
}

/// glibc's `pipe2`, which the Glibc module does not export: the flags apply atomically, so no
/// other thread's `posix_spawn` can copy the descriptors between creating and flagging them.
@_silgen_name("pipe2")
private func systemPipe2(_ descriptors: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), not exported either.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionsCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

import Foundation
import TestSupport

/// A temporary folder of stand-in commands (`pveum`, `curl`, `sudo`, `sh`, …) put first on PATH
/// while a generated script runs under `bash`: each records its arguments (NUL-separated, so a
/// newline inside an argument shows) and its stdin, and nothing touches the real system. A
/// canary path is handed to hostile inputs; if the script ever runs an injected command, the
/// canary appears.
final class ShellStandIns: Sendable {
    /// Lower-case throughout: a host parser lower-cases hosts, and the canary's path must survive that.
    let folder: URL = {
        let url = URL(fileURLWithPath: "/tmp/pulse-stand-ins-\(UUID().uuidString.lowercased())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
    var canary: String { folder.appendingPathComponent("canary").path }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Installs `name` as a bash script: it logs its arguments to `<name>.argv` (per call the
    /// count, then each argument, all NUL-terminated: no argument can hold a NUL) and then runs `body`.
    func add(_ name: String, _ body: String = "") throws {
        let path = folder.appendingPathComponent(name).path
        let script = """
            #!/bin/bash
            printf '%s\\0' "$#" "$@" >> "$STUB_DIR/\(name).argv"
            \(body)

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    /// The stand-ins for the Proxmox setup script: `pveum` and `proxmox-backup-manager` hand out a
    /// token, `curl` keeps what it was sent, `id` says root, `hostname` names the node.
    func addProxmoxTools() throws {
        let token = #"echo '{"full-tokenid":"x","value":"tok-from-stub"}'"#
        try add("pveum", #"[ "$1 $2 $3" = "user token add" ] && "# + token + "; exit 0")
        try add("proxmox-backup-manager", #"[ "$1 $2" = "user generate-token" ] && "# + token + "; exit 0")
        try add("curl", #"cat > "$STUB_DIR/curl.stdin""#)
        try add("id", "echo 0")
        try add("hostname", "echo pve1")
    }

    /// The stand-ins for the agent install command: `curl` saves an empty "installer" where `-o`
    /// says, `sudo` runs its command, `sh` (the installer) keeps its stdin.
    func addInstallTools() throws {
        try add("curl", #"while [ $# -gt 0 ]; do [ "$1" = -o ] && : > "$2"; shift; done"#)
        try add("sudo", #"exec "$@""#)
        try add("sh", #"cat > "$STUB_DIR/sh.stdin""#)
    }

    /// Runs `script` (written to a file, so even a NUL reaches bash) with the stand-ins first on
    /// PATH; returns bash's exit status.
    @discardableResult
    func run(_ script: String, environment: [String: String] = [:]) async throws -> Int32 {
        let file = folder.appendingPathComponent("script-\(UUID().uuidString).sh")
        try Data(script.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["30", "/bin/bash", file.path]
        process.environment = ["PATH": "\(folder.path):/usr/bin:/bin", "STUB_DIR": folder.path, "TMPDIR": folder.path]
            .merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await ChildProcess.waitForExit(process)
        return process.terminationStatus
    }

    /// Every call of `name`: its arguments.
    func calls(_ name: String) -> [[String]] {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("\(name).argv").path) else { return [] }
        var fields = String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)[...]
        var calls: [[String]] = []
        while let count = fields.first.flatMap({ Int($0) }), fields.count > count {
            calls.append(Array(fields.dropFirst().prefix(count)))
            fields = fields.dropFirst(count + 1)
        }
        return calls
    }

    /// What `name` read on stdin (stand-ins that keep it), or nil.
    func stdin(_ name: String) -> String? {
        FileManager.default.contents(atPath: folder.appendingPathComponent("\(name).stdin").path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every argument any stand-in was called with.
    var allArguments: [String] {
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return logs.filter { $0.hasSuffix(".argv") }.flatMap { calls(String($0.dropLast(5))).flatMap { $0 } }
    }

    var canaryExists: Bool { FileManager.default.fileExists(atPath: canary) }
}

import AgentProtocol
import Logging
import SystemCommand

#if canImport(Glibc)
import Glibc
#endif

/// Removes the agent from its machine when the server asks (`config.uninstall` in a reply):
/// the same files `install.sh --uninstall` removes, at fixed paths under `root`, and the
/// service through fixed argv (`systemctl disable pulse-agent`, …); nothing the server sends
/// reaches a path or a command. The server is told first (`POST /api/agents/host/uninstall`),
/// so it drops the host rather than showing it offline.
struct AgentUninstaller: Sendable {
    /// Where the machine's files are: `/` on a host, a temporary folder in tests.
    var root = "/"
    let sender: ReportSender
    var logger = Logger(label: "pulse-agent")
    /// Runs a program at an absolute path with a fixed argv (tests record the calls instead).
    var run: @Sendable (_ path: String, _ arguments: [String]) async -> Void = { path, arguments in
        _ = try? await Command.run(path, arguments, timeout: .seconds(30))
    }
    /// Finds a program (tests pass their own).
    var find: @Sendable (_ name: String) -> String? = { Command.find($0) }

    /// What `install.sh` installs (its `UNIT_LINK`, `UNIT_FILE`, `INIT_SCRIPT`, `BIN_PATH`,
    /// `CONF_DIR`, `STATE_DIR`, `LOG_FILE`, `PID_FILE`).
    static let installedPaths = [
        "/etc/systemd/system/multi-user.target.wants/pulse-agent.service", "/etc/systemd/system/pulse-agent.service",
        "/etc/init.d/pulse-agent", "/usr/local/bin/pulse-agent", "/etc/pulse-agent", "/var/lib/pulse-agent",
        "/var/log/pulse-agent.log", "/run/pulse-agent.pid",
    ]

    /// Tells the server, disables the service, removes the files and, under systemd, asks it to
    /// stop the unit once this process has ended its loops. Each step goes on when one fails.
    func uninstall(hostID: String) async {
        logger.notice("uninstalling at the server's request", metadata: ["hostID": .string(hostID)])
        if let body = try? AgentJSONEncoder().encode(["hostId": hostID]) {
            let outcome = await sender.post(AgentPaths.hostUninstall, body: Array(body))
            if case .delivered = outcome {
            } else {
                logger.warning("the server did not take the unregistration; it will show the host offline", metadata: ["outcome": "\(outcome)"])
            }
        }
        let systemctl = isDirectory(path("/run/systemd/system")) ? find("systemctl") : nil
        if let systemctl { await run(systemctl, ["disable", "pulse-agent.service"]) }
        if let rcUpdate = find("rc-update"), access(path("/etc/init.d/pulse-agent"), F_OK) == 0 {
            await run(rcUpdate, ["del", "pulse-agent"])
        }
        for installed in Self.installedPaths {
            let full = path(installed)
            guard access(full, F_OK) == 0 || isSymbolicLink(full) else { continue }
            FileTree.remove(full)
            if access(full, F_OK) == 0 || isSymbolicLink(full) {
                logger.warning("could not remove", metadata: ["path": .string(installed)])
            } else {
                logger.info("removed", metadata: ["path": .string(installed)])
            }
        }
        if let systemctl {
            await run(systemctl, ["daemon-reload"])
            await run(systemctl, ["stop", "--no-block", "pulse-agent.service"])
        }
    }

    private func path(_ absolute: String) -> String {
        root == "/" ? absolute : root + absolute
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}

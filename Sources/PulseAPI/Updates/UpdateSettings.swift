import Foundation

/// What the server's self-update works with, fixed at start.
package struct UpdateSettings: Sendable {
    /// The release feed's URL (`PULSE_UPDATE_SERVER`); nil: nothing to check.
    package var feedURL: String?
    /// The key release archives must be signed with (`PULSE_UPDATE_PUBLIC_KEY`); nil: updates
    /// are checked but never applied.
    package var releaseKey: ReleaseKey?
    /// Private ranges the feed and its archives may be fetched from
    /// (`PULSE_UPDATE_ALLOWED_PRIVATE_CIDRS`); public addresses are always allowed.
    package var allowedPrivateTargets: [String] = []
    /// The running server binary, replaced by an update (`/proc/self/exe` unless set).
    package var binaryPath: String
    /// The data folder, backed up before an update and restored by a rollback.
    package var dataDirectory: String
    /// The version the running binary reports.
    package var runningVersion: String
    /// The archive this server installs, `<os>-<arch>` as the feed names it.
    package var platform: String = ServerPlatform.current
    package var deployment: DeploymentKind
    /// Data backups kept under `<data>/backups`; older ones are removed after an update.
    package var backupsKept = 3
    /// Longest wait for the feed, and for an archive download.
    package var feedTimeout: Duration = .seconds(30)
    package var downloadTimeout: Duration = .seconds(600)

    package init(binaryPath: String, dataDirectory: String, runningVersion: String, deployment: DeploymentKind) {
        self.binaryPath = binaryPath
        self.dataDirectory = dataDirectory
        self.runningVersion = runningVersion
        self.deployment = deployment
    }

    /// Where backups, the staging folder and the history live.
    var backupsFolder: String { dataDirectory + "/backups" }
    var stagingFolder: String { dataDirectory + "/update-staging" }
    var historyPath: String { dataDirectory + "/update-history.json" }
    /// The binary an update replaced, kept for a rollback.
    var previousBinaryPath: String { binaryPath + ".previous" }

    /// Why this server cannot install an update by itself, or nil when it can.
    var applyRefusal: String? {
        if deployment == .docker {
            return "Pulse runs in Docker: pull the new image instead of updating in place"
        }
        if releaseKey == nil {
            return "No release key is configured (PULSE_UPDATE_PUBLIC_KEY): updates can be checked but not applied"
        }
        let folder = (binaryPath as NSString).deletingLastPathComponent
        if access(folder, W_OK) != 0 {
            return "The server cannot write \(folder), so it cannot replace its own binary"
        }
        return nil
    }
}

/// The `<os>-<arch>` name of the archive this build runs from (`linux-amd64`, `linux-arm64`).
package enum ServerPlatform {
    package static var current: String {
        #if arch(x86_64)
        "linux-amd64"
        #elseif arch(arm64)
        "linux-arm64"
        #elseif arch(arm)
        "linux-armv7"
        #elseif arch(i386)
        "linux-386"
        #else
        "linux-unknown"
        #endif
    }

    /// The path of the running executable, symlinks resolved.
    package static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// What the server does once an update or rollback has put a binary in place: stop, finish the
/// job offline, start again.
package struct RestartPlan: Sendable, Equatable {
    /// The binary to start: the running binary's path, now holding the new (or restored) build.
    package let binaryPath: String
    package let dataDirectory: String
    /// A rollback's data backup, put back once the server has stopped; nil after an update.
    package let restoringBackup: String?
    /// The history entry that asked for the restart.
    package let eventID: String

    /// The part of the job that needs the server stopped and its database closed: a rollback's
    /// data goes back in place here.
    package func completeAfterShutdown() throws {
        if let restoringBackup { try DataBackup.restore(restoringBackup, into: dataDirectory) }
    }
}

/// How the server gets itself restarted. `pulse` stops gracefully, calls
/// `RestartPlan.completeAfterShutdown` and then exits for systemd to start the new binary, or
/// starts it itself in its place (`execv`); tests record the request instead.
package protocol ServerRestarter: Sendable {
    /// Asks for a restart as `plan` says; returns at once, the server stops afterwards.
    func requestRestart(_ plan: RestartPlan)
}

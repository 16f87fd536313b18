/// A value on the command line or in the environment that the agent cannot use; `main` prints it
/// and exits with status 2, as for any usage error.
struct ValidationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Ends the agent with this exit status (after a check that printed its own verdict).
struct ExitCode: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}

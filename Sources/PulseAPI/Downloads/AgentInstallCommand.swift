import PulseSupport

/// The one line an admin pastes on a host to install the agent (`POST /api/agent-install-command`).
///
/// ```sh
/// pulse_installer=$(mktemp) && curl -fsSL 'URL/install.sh' -o "$pulse_installer" &&
///   printf '%s\n' 'TOKEN' | sudo sh "$pulse_installer" --url 'URL' --token-stdin --key 'KEY' …;
///   rm -f "$pulse_installer"
/// ```
///
/// Why this shape: the token must never be in a program's argv, where `ps` shows it to every
/// user and sudo writes it to its log. `curl … | sudo sh -s -- --token T` put it in both. Here
/// the installer is first saved to a private temporary file (`mktemp`: mode 0600, a name no
/// other user can guess or swap before root runs it), so the installer's stdin is free to carry
/// the token; `printf` is a builtin of every POSIX shell, so no process carries the token in its
/// arguments on the way. `--key` pins the server's signing key so the installer (and later the
/// agent) accepts only builds this server signed. It needs a POSIX shell (sh, bash, zsh).
///
/// Every value goes through `ShellWord.quote`, the server URL included, though it was validated;
/// `flags` are the installer's own option names from `AgentInstallRoutes.kinds`, constants.
package enum AgentInstallCommand {
    package static func render(serverURL: String, token: String, signingKey: String, flags: [String]) -> String {
        let installer = ShellWord.quote(serverURL + "/install.sh")
        let arguments =
            ["--url", ShellWord.quote(serverURL), "--token-stdin", "--key", ShellWord.quote(signingKey)]
            + flags
        return "pulse_installer=$(mktemp) && curl -fsSL \(installer) -o \"$pulse_installer\" && "
            + "printf '%s\\n' \(ShellWord.quote(token)) | sudo sh \"$pulse_installer\" \(arguments.joined(separator: " ")); "
            + "rm -f \"$pulse_installer\""
    }
}

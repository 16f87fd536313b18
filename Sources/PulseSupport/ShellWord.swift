/// The one way a value enters a shell script or command the server generates (the Proxmox setup
/// script, the agent install command).
///
/// Validation keeps hostile values out first (`HostAddress`); quoting is the second wall, so a
/// value that slipped past a validator is still one literal word and never code.
package enum ShellWord {
    /// `text` as one single-quoted POSIX shell word. Inside single quotes every byte stands for
    /// itself (newlines, `$`, backticks, `"`, `;`); a `'` is written as `'\''` (close, an
    /// escaped quote, reopen). A NUL cannot be carried by any shell word: it is dropped, which
    /// shells do with a script's NUL bytes anyway.
    package static func quote(_ text: String) -> String {
        var quoted = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": quoted += "'\\''"
            case "\0": continue
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }
}

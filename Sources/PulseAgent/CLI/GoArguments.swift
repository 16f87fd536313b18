/// Reads a command line written for Pulse's Go agent, whose `flag` package takes `-name`,
/// `--name`, `-name value`, `-name=value` and `-bool=false` alike, and rewrites it into the
/// `--name value` / `--no-name` forms swift-argument-parser reads.
///
/// An option this agent does not know is dropped with a warning instead of stopping the agent:
/// service files written by Pulse's installers (or by a newer Pulse) must keep the agent running.
enum GoArguments {
    /// Options that take a value.
    static let valueOptions: Set<String> = [
        "url", "token", "token-file", "interval", "hostname", "agent-id", "agent-id-file", "cacert", "kubeconfig", "kube-context",
        "kube-max-pods", "kube-include-namespace", "kube-exclude-namespace", "update-key-file", "tag", "disk-exclude", "log-level",
        "health-addr", "sensor-include", "sensor-exclude", "primary-sensor", "buffer-dir", "host-root", "proxmox-type",
        "docker-runtime", "report-ip", "benchmark-collections",
    ]
    /// Boolean flags that also have a `--no-` form.
    static let invertibleFlags: Set<String> = [
        "enable-host", "enable-docker", "enable-kubernetes", "enable-proxmox", "enable-commands", "cpu-per-core",
    ]
    /// Boolean flags that can only be turned on (`=false` is the default, so it is dropped).
    static let onFlags: Set<String> = [
        "insecure", "disable-ceph", "kube-include-all-pods", "kube-include-all-deployments", "disable-auto-update",
        "disable-commands", "disable-docker-update-checks", "once", "self-test", "help", "version",
    ]

    struct Rewritten: Equatable {
        var arguments: [String] = []
        /// One line per argument left out, naming it (never its value: it may be a secret).
        var warnings: [String] = []
    }

    static func rewrite(_ arguments: [String]) -> Rewritten {
        var result = Rewritten()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-"), argument != "-", argument != "--" else {
                // The agent takes no positional arguments (Go's flag package stops at the first one).
                result.warnings.append("ignoring argument '\(argument == "--" ? "--" : "…")': pulse-agent takes options only")
                continue
            }
            let body = argument.hasPrefix("--") ? argument.dropFirst(2) : argument.dropFirst()
            let name = String(body.prefix { $0 != "=" })
            let value: String? = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            if name.count == 1 {
                // -h and other one-letter forms are argument-parser's own.
                result.arguments.append(argument)
            } else if valueOptions.contains(name) {
                if let value {
                    result.arguments += ["--\(name)", value]
                } else if index < arguments.count {
                    result.arguments += ["--\(name)", arguments[index]]
                    index += 1
                } else {
                    result.arguments.append("--\(name)")  // the parser names the missing value
                }
            } else if invertibleFlags.contains(name) {
                // A bare flag is true; a value that is not a boolean is passed on for the parser to refuse.
                switch value.map(goBool) ?? true {
                case true?: result.arguments.append("--\(name)")
                case false?: result.arguments.append("--no-\(name)")
                case nil: result.arguments.append(argument)
                }
            } else if name.hasPrefix("no-"), invertibleFlags.contains(String(name.dropFirst(3))), value == nil {
                result.arguments.append("--\(name)")
            } else if onFlags.contains(name) {
                switch value.map(goBool) ?? true {
                case true?: result.arguments.append("--\(name)")
                case false?: break
                case nil: result.arguments.append(argument)
                }
            } else {
                // Unknown: a following word that is not an option is taken as its value (Go's
                // flag package would have), so it does not turn into a stray argument.
                var dropped = "ignoring unknown option '-\(argument.hasPrefix("--") ? "-" : "")\(name)'"
                if value == nil, index < arguments.count, !arguments[index].hasPrefix("-") {
                    index += 1
                    dropped += " and the value after it"
                }
                result.warnings.append(dropped)
            }
        }
        return result
    }

    /// Go's `strconv.ParseBool`: nil for anything else.
    static func goBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}

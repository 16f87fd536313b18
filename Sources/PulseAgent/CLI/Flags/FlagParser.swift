/// Reads the agent's command line the way Go's `flag` package does, so the start lines Pulse's
/// installer writes for its Go agent work unchanged: `-url X`, `--url X`, `-url=X`, `--url=X`,
/// boolean `-insecure`, `-insecure=false`, and `--` ending the options.
///
/// Unlike Go, an option this agent does not know is not fatal: it is reported back as a warning
/// (naming the option, never its value) and skipped (with the value that follows it, when that does not look like an option), so an
/// installer newer than this agent cannot leave it restarting forever.
struct FlagParser {
    let specs: [FlagSpec]

    /// What the command line said.
    struct Parsed: Equatable {
        /// Booleans given, by name (false when turned off).
        var booleans: [String: Bool] = [:]
        /// Values by name, in the order given (one for a plain value option).
        var values: [String: [String]] = [:]
        /// Arguments that are not options.
        var positional: [String] = []
        /// One line per argument that was skipped.
        var warnings: [String] = []

        func value(_ name: String) -> String? { values[name]?.last }
        func all(_ name: String) -> [String] { values[name] ?? [] }
    }

    /// A command line that cannot be read: an option that needs a value has none, or a boolean
    /// was given a value that is not true or false.
    struct UsageError: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    func parse(_ arguments: [String]) throws -> Parsed {
        var parsed = Parsed()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                parsed.positional += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                parsed.positional.append(argument)
                continue
            }
            let body = argument.hasPrefix("--") ? argument.dropFirst(2) : argument.dropFirst()
            let name: String
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            if let spec = specs.first(where: { $0.name == name }) {
                switch spec.kind {
                case .bool:
                    guard let text = inlineValue else {
                        parsed.booleans[name] = true
                        continue
                    }
                    guard let value = Self.boolean(text) else {
                        throw UsageError(description: "-\(name) takes true or false, got '\(text)'")
                    }
                    parsed.booleans[name] = value
                case .value, .repeatable:
                    let value: String
                    if let inlineValue {
                        value = inlineValue
                    } else if index < arguments.count {
                        value = arguments[index]
                        index += 1
                    } else {
                        throw UsageError(description: "-\(name) needs a value")
                    }
                    parsed.values[name, default: []].append(value)
                }
            } else if name.hasPrefix("no-"), inlineValue == nil,
                let spec = specs.first(where: { $0.name == name.dropFirst(3) }), case .bool(negatable: true) = spec.kind
            {
                parsed.booleans[spec.name] = false
            } else {
                // Unknown: skip it, and the value after it unless that is another option. The
                // warning names the option, never a value (it may be a secret).
                let dashes = argument.hasPrefix("--") ? "--" : "-"
                if inlineValue == nil, index < arguments.count, !arguments[index].hasPrefix("-") {
                    parsed.warnings.append("ignoring unknown option '\(dashes)\(name)' and the value after it")
                    index += 1
                } else {
                    parsed.warnings.append("ignoring unknown option '\(dashes)\(name)'")
                }
            }
        }
        return parsed
    }

    /// Go's `strconv.ParseBool` spellings.
    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}

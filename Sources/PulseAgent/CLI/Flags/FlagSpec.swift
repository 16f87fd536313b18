/// One command-line option of the agent: its name (used with one dash or two, as Go's `flag`
/// package allows), what it takes, its environment variable and its help line.
struct FlagSpec: Sendable {
    enum Kind: Sendable {
        /// On when given; `-name=false` turns it off, and so does `--no-name` when `negatable`.
        case bool(negatable: Bool)
        /// Takes a value: `-name value`, `-name=value`, `--name value`, `--name=value`.
        case value(placeholder: String)
        /// Takes a value and may be given again; every value is kept.
        case repeatable(placeholder: String)
    }

    let name: String
    let kind: Kind
    /// Its help line (the environment variable and default are part of the text).
    let help: String
    /// Accepted and listed under "accepted for compatibility" in `--help`, or left out of it.
    var hidden = false

    static func bool(_ name: String, negatable: Bool = false, help: String, hidden: Bool = false) -> FlagSpec {
        FlagSpec(name: name, kind: .bool(negatable: negatable), help: help, hidden: hidden)
    }

    static func value(_ name: String, _ placeholder: String, help: String, hidden: Bool = false) -> FlagSpec {
        FlagSpec(name: name, kind: .value(placeholder: placeholder), help: help, hidden: hidden)
    }

    static func repeatable(_ name: String, _ placeholder: String, help: String) -> FlagSpec {
        FlagSpec(name: name, kind: .repeatable(placeholder: placeholder), help: help)
    }

    var takesValue: Bool {
        if case .bool = kind { return false }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The agent's environment variables, read from `environ` (Foundation's `ProcessInfo` would link
/// much of Foundation into the static agent for this one dictionary).
enum ProcessEnvironment {
    /// Every `NAME=value` pair; for a name given twice, the first wins (as `getenv` finds it).
    static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return variables
    }
}

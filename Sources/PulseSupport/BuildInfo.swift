import AgentProtocol
import Foundation

/// What this build of the server is, as reported by `/api/version` and `/api/agent/version`.
package enum BuildInfo {
    /// Semantic version of this release. Agents only self-update to a strictly newer one.
    package static let version = "0.1.0"
    /// `release` or `debug`, from the compiler configuration.
    package static var build: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }
    /// The language runtime, reported where Pulse reports `go`.
    package static let runtime = "swift"
    /// Compiler version the binary was built with.
    package static var swiftVersion: String {
        #if compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "6.x"
        #endif
    }

    /// When the running binary was built (its modification time), RFC 3339; nil if unknown.
    package static let buildTime: String? = {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: "/proc/self/exe"),
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return RFC3339.format(modified)
    }()
}

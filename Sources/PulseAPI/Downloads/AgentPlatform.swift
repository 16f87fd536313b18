/// An agent build as the download endpoints name it, `<os>-<arch>` (`linux-amd64`).
///
/// Requests may use the names `uname -m` and other tools print (`x86_64`, `aarch64`, `armhf`,
/// `i686`, `macos-…`); they are normalised to one canonical name per build.
package struct AgentPlatform: Hashable, Sendable, CustomStringConvertible {
    package let os: String
    let arch: String

    package var description: String { "\(os)-\(arch)" }

    /// The file name of this build in the binaries folder.
    var binaryName: String { "pulse-agent-\(self)" + (os == "windows" ? ".exe" : "") }

    /// Every build Pulse agents exist for, in the order listed to clients.
    static let supported: [AgentPlatform] =
        ["amd64", "arm64", "armv7", "armv6", "386"].map { AgentPlatform(os: "linux", arch: $0) }
        + ["amd64", "arm64"].map { AgentPlatform(os: "darwin", arch: $0) }
        + ["amd64", "arm64", "386"].map { AgentPlatform(os: "windows", arch: $0) }

    private static let osAliases = ["linux": "linux", "darwin": "darwin", "macos": "darwin", "osx": "darwin", "windows": "windows"]
    private static let archAliases = [
        "amd64": "amd64", "x86_64": "amd64", "x64": "amd64",
        "arm64": "arm64", "aarch64": "arm64",
        "armv7": "armv7", "armv7l": "armv7", "armhf": "armv7",
        "armv6": "armv6", "armv6l": "armv6",
        "386": "386", "i386": "386", "i486": "386", "i586": "386", "i686": "386", "x86": "386",
    ]

    package init(os: String, arch: String) {
        self.os = os
        self.arch = arch
    }

    /// Parses `os-arch` or a bare arch (meaning Linux); nil when the pair names no supported build.
    package init?(parsing text: String) {
        let lowered = text.lowercased()
        let osPart: Substring
        let archPart: Substring
        if let dash = lowered.firstIndex(of: "-") {
            osPart = lowered[..<dash]
            archPart = lowered[lowered.index(after: dash)...]
        } else {
            osPart = "linux"
            archPart = Substring(lowered)
        }
        guard let os = Self.osAliases[String(osPart)], let arch = Self.archAliases[String(archPart)] else { return nil }
        let platform = AgentPlatform(os: os, arch: arch)
        guard Self.supported.contains(platform) else { return nil }
        self = platform
    }
}

/// A container image name split the way Docker resolves it: `nginx` is
/// `docker.io/library/nginx:latest`, whose registry API lives at `registry-1.docker.io`.
///
/// The first path component names a registry only when it has a `.` or a `:`, or is
/// `localhost`; otherwise the name is on Docker Hub.
struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// Registry host, with its port when one was given (`docker.io`, `127.0.0.1:5000`).
    var registry: String
    /// Repository path inside the registry (`library/nginx`, `test/app`).
    var repository: String
    /// Tag; `latest` when the name has none.
    var tag: String
    /// A pinned digest (`name@sha256:…`): such an image cannot move, so it is never checked.
    var digest: String?

    static let dockerHub = "docker.io"

    /// Parses `name[:tag][@digest]`; nil for an empty name, an image ID (`sha256:…`) or one
    /// with characters no reference may hold.
    init?(_ text: String) {
        var rest = Substring(text)
        guard !rest.isEmpty, !rest.hasPrefix("sha256:"), rest.utf8.count <= 512 else { return nil }
        guard rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-/:@+".contains($0)) }) else { return nil }
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/")
        var tagColon = rest.lastIndex(of: ":")
        if let colon = tagColon, let lastSlash, colon < lastSlash { tagColon = nil }  // a registry's port, not a tag
        if let tagColon {
            tag = String(rest[rest.index(after: tagColon)...])
            rest = rest[..<tagColon]
        } else {
            tag = "latest"
        }
        guard !rest.isEmpty, !tag.isEmpty else { return nil }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost"
        {
            registry = first.lowercased()
            repository = components.dropFirst().joined(separator: "/")
        } else {
            registry = Self.dockerHub
            repository = String(rest)
        }
        if registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = Self.dockerHub }
        if registry == Self.dockerHub, !repository.contains("/") { repository = "library/" + repository }
        guard !repository.isEmpty, !components.contains(where: \.isEmpty) else { return nil }
        if digest?.isEmpty == true { return nil }
    }

    /// Whether a registry can say if this moved: not when pinned to a digest, and not for
    /// `localhost/…` without a port, which is how Podman names images built or imported on this
    /// machine (it gives them digests, but no registry serves them).
    var isCheckable: Bool { digest == nil && registry != "localhost" }

    /// The host the registry's HTTP API answers on.
    var apiHost: String { registry == Self.dockerHub ? "registry-1.docker.io" : registry }

    /// The registry host without its port, in lower case (for the loopback rule).
    var hostName: String {
        if registry.hasPrefix("[") { return String(registry.dropFirst().prefix { $0 != "]" }) }
        return String(registry.prefix { $0 != ":" })
    }

    /// Whether this names the same repository as `other`, whatever their tags and digests.
    func sameRepository(as other: ImageReference) -> Bool {
        registry == other.registry && repository == other.repository
    }

    /// `registry/repository:tag`, the key the cache is kept under.
    var description: String { "\(registry)/\(repository):\(tag)" }
}

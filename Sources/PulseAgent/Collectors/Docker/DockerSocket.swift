#if canImport(Glibc)
import Glibc
#endif

/// Where the Docker Engine API (or Podman's compatible service) listens on this host.
enum DockerSocket {
    /// In the order tried: `DOCKER_HOST` (a `unix://` one), Docker's default socket, rootless
    /// Docker, Podman's system socket, rootless Podman.
    static func candidates(environment: [String: String], userID: UInt32 = getuid()) -> [String] {
        var paths: [String] = []
        if let host = environment["DOCKER_HOST"], host.hasPrefix("unix://") { paths.append(String(host.dropFirst("unix://".count))) }
        paths += [
            "/var/run/docker.sock", "/run/user/\(userID)/docker.sock", "/run/podman/podman.sock",
            "/run/user/\(userID)/podman/podman.sock",
        ]
        return paths
    }

    /// The first candidate that is a socket.
    static func find(environment: [String: String]) -> String? {
        candidates(environment: environment).first(where: isSocket)
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }
}

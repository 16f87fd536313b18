#if canImport(Glibc)
import Glibc
#endif

/// `--health-addr` as Go writes listen addresses: `:9191` (every interface), `127.0.0.1:9191`,
/// `[::1]:9191`, `localhost:9191`.
struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// Nil for every interface.
    let host: String?
    let port: UInt16

    var description: String {
        guard let host else { return ":\(port)" }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Nil for an empty or `off` address (the endpoint is disabled).
    init?(parsing text: String) throws {
        guard !text.isEmpty, text.lowercased() != "off" else { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw Invalid(description: "--health-addr must be [host]:port, e.g. :9191 or 127.0.0.1:9191, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? nil : host
        self.port = port
    }

    init(host: String?, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// A listening TCP socket (SO_REUSEADDR, close-on-exec) bound to this address.
    func listen(backlog: Int32 = 16) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw Invalid(description: "cannot resolve \(self): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var lastError = "no address"
        // Prefer IPv6 for the wildcard (it also takes IPv4 on Linux), else take what resolves first.
        var candidates: [UnsafeMutablePointer<addrinfo>] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            candidates.append(entry)
            next = entry.pointee.ai_next
        }
        if host == nil { candidates.sort { $0.pointee.ai_family == AF_INET6 && $1.pointee.ai_family != AF_INET6 } }
        for entry in candidates {
            let socketFD = socket(entry.pointee.ai_family, entry.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), entry.pointee.ai_protocol)
            guard socketFD >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            var one: Int32 = 1
            setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.bind(socketFD, entry.pointee.ai_addr, entry.pointee.ai_addrlen) == 0, Glibc.listen(socketFD, backlog) == 0 {
                return socketFD
            }
            lastError = String(cString: strerror(errno))
            close(socketFD)
        }
        throw Invalid(description: "cannot listen on \(self): \(lastError)")
    }
}

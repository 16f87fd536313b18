import AgentProtocol
import CurlHTTP
import Logging
import SystemCommand

#if canImport(Glibc)
import Glibc
#endif

/// `--enable-proxmox`: makes the read-only monitoring user and API token on this Proxmox host
/// and registers the node with the server through `POST /api/auto-register`, with the agent's own
/// token (the server lets an agent token register only the node of a host it reports as).
///
/// Kept across restarts in the state folder: the token's secret (`proxmox-<type>-token`, 0600)
/// and what was registered (`proxmox-<type>-registered`). With both in place a restart runs no
/// command and sends nothing; a lost secret makes a new token (remove, then add).
struct ProxmoxSetup: Sendable {
    struct Settings: Sendable {
        /// Nil: every product found here.
        var product: ProxmoxProduct?
        var hostname: String
        /// `--report-ip`, else the address this machine reaches the server from.
        var address: String
        var stateDirectory: String
        /// Where programs are looked for (the agent's PATH, then the system folders).
        var searchPath: String
    }

    enum Outcome: Sendable, Equatable {
        /// Registered now: the server's node ID.
        case registered(ProxmoxProduct, nodeID: String)
        /// Registered before with the same token and address: nothing done.
        case unchanged(ProxmoxProduct)
    }

    struct Failure: Error, CustomStringConvertible, Equatable {
        let description: String
        /// Worth trying again later (the server is unreachable or does not know this host yet).
        var retry = false
    }

    let settings: Settings
    let sender: ReportSender
    let logger: Logger

    /// The products to set up: the one asked for, else those installed.
    func products() throws(Failure) -> [ProxmoxProduct] {
        if let product = settings.product { return [product] }
        let found = ProxmoxProduct.detect { Command.find($0, searchPath: settings.searchPath) }
        guard !found.isEmpty else {
            throw Failure(description: "no Proxmox VE (pvesh) or Backup Server (proxmox-backup-manager) found on PATH")
        }
        return found
    }

    /// Sets up and registers `product`; throws a `Failure` saying what went wrong.
    func run(_ product: ProxmoxProduct) async throws(Failure) -> Outcome {
        let account = ProxmoxMonitorAccount(product: product, hostname: settings.hostname)
        let secretFile = "\(settings.stateDirectory)/proxmox-\(product.rawValue)-token"
        let markerFile = "\(settings.stateDirectory)/proxmox-\(product.rawValue)-registered"
        let secret: String
        var madeToken = false
        if let kept = PrivateFile.read(secretFile) {
            secret = kept
        } else {
            secret = try await createToken(account)
            madeToken = true
            do { try PrivateFile.write(secret, to: secretFile) } catch { throw Failure(description: error.description) }
            logger.notice("created the Proxmox monitoring token", metadata: ["token": .string(account.tokenID)])
        }
        let host = Self.apiURL(address: settings.address, port: product.apiPort)
        let registration = "\(host) \(account.tokenID)"
        // A new secret is always sent; otherwise the same token at the same address is not sent again.
        if !madeToken, PrivateFile.read(markerFile) == registration { return .unchanged(product) }
        let nodeID = try await register(account, host: host, secret: secret)
        do { try PrivateFile.write(registration, to: markerFile) } catch { throw Failure(description: error.description) }
        return .registered(product, nodeID: nodeID)
    }

    /// `https://address:port`, with brackets around an IPv6 address.
    static func apiURL(address: String, port: Int) -> String {
        "https://\(address.contains(":") ? "[\(address)]" : address):\(port)"
    }

    private func createToken(_ account: ProxmoxMonitorAccount) async throws(Failure) -> String {
        guard ProxmoxMonitorAccount.isTokenName(account.tokenName) else { throw Failure(description: "bad token name \(account.tokenName)") }
        guard let tool = Command.find(account.product.tool, searchPath: settings.searchPath) else {
            throw Failure(description: "\(account.product.tool) is not on PATH: is this a Proxmox \(account.product.rawValue) host?")
        }
        // The user and its ACL: a failure here mostly means they exist already.
        for step in account.prepareSteps { _ = try? await run(tool, step) }
        var reply = try await run(tool, account.createToken)
        if reply.status != 0 {
            // The token exists but its secret is not kept here: make a new one.
            logger.notice("replacing the Proxmox monitoring token, its secret is not kept here", metadata: ["token": .string(account.tokenID)])
            _ = try await run(tool, account.removeToken)
            reply = try await run(tool, account.createToken)
        }
        guard reply.status == 0, let secret = ProxmoxMonitorAccount.secret(inReply: reply.output) else {
            throw Failure(description: "\(account.product.tool) did not create the token \(account.tokenID) (exit \(reply.status))")
        }
        for step in account.afterTokenSteps { _ = try? await run(tool, step) }
        return secret
    }

    private func run(_ tool: String, _ arguments: [String]) async throws(Failure) -> Command.Result {
        do {
            return try await Command.run(tool, arguments, timeout: .seconds(30))
        } catch {
            throw Failure(description: "\(tool): \(error)")
        }
    }

    private func register(_ account: ProxmoxMonitorAccount, host: String, secret: String) async throws(Failure) -> String {
        struct Body: Encodable {
            let type: String, host: String, serverName: String, tokenId: String, tokenValue: String, source: String
        }
        struct Reply: Decodable { let nodeId: String? }
        let body = Body(
            type: account.product.rawValue, host: host, serverName: settings.hostname, tokenId: account.tokenID, tokenValue: secret,
            source: "agent")
        let bytes: [UInt8]
        do { bytes = try AgentJSONEncoder().encode(body) } catch { throw Failure(description: "\(error)") }
        switch await sender.post("/api/auto-register", body: bytes) {
        case .delivered(let reply):
            return (try? AgentJSONDecoder().decode(Reply.self, from: reply))?.nodeId ?? ""
        case .retryLater(let reason):
            throw Failure(description: "the server did not take the registration: \(reason)", retry: true)
        case .rejected(let status, let message):
            // 409: the server has no report from this host yet; the first report is on its way.
            throw Failure(description: "the server refused the registration (HTTP \(status)): \(message)", retry: status == 409)
        }
    }
}

extension ProxmoxSetup {
    /// The local address this machine reaches `serverURL` from (a UDP "connection" sends nothing),
    /// or nil for a loopback server or when it cannot tell.
    static func addressReaching(_ serverURL: String) -> String? {
        guard let authority = serverURL.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first else { return nil }
        var host = String(authority)
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<end])
        } else if let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, "9", &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        let socket = Glibc.socket(first.pointee.ai_family, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        guard connect(socket, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else { return nil }
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let converted = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
            }
        }
        guard converted == 0 else { return nil }
        let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return address.hasPrefix("127.") || address == "::1" ? nil : address
    }
}

import CurlHTTP
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Serves `HealthResponder` over plain HTTP/1.1 on `--health-addr`, one short connection at a
/// time on a thread of its own: three tiny read-only pages need no HTTP framework.
///
/// A port already in use is a warning, not a failure: health pages are optional, reports are not.
struct HealthEndpoint {
    let address: ListenAddress
    let responder: HealthResponder
    let logger: Logger

    func run() async throws {
        let listener: Int32
        do {
            listener = try address.listen()
        } catch {
            logger.warning("health endpoint disabled", metadata: ["address": .string(address.description), "error": "\(error)"])
            return
        }
        logger.info("health endpoint listening", metadata: ["address": .string(address.description)])
        let responder = responder
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await BlockingThread.run { Self.serve(listener, responder: responder) } }
            await ShutdownSignal.current.wait()
            // Makes the blocked accept() fail, which ends the serving thread.
            shutdown(listener, Int32(SHUT_RDWR))
        }
        close(listener)
    }

    /// Answers connections on `listener` until it is shut down.
    static func serve(_ listener: Int32, responder: HealthResponder) {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            // Not inherited by the tools the collectors spawn.
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            answer(connection, responder: responder)
            close(connection)
        }
    }

    /// Reads one request head (bounded size, 2 s timeout) and writes the reply.
    static func answer(_ connection: Int32, responder: HealthResponder) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while head.count < 8192, !head.containsHeadEnd {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            head += chunk[0..<count]
        }
        let requestLine = String(decoding: head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let reply =
            parts.count >= 2
            ? responder.reply(method: String(parts[0]), path: String(parts[1]))
            : HealthResponder.Reply(status: 400, contentType: "text/plain; charset=utf-8", body: "bad request\n")
        let body = parts.first == "HEAD" ? "" : reply.body
        let response =
            "HTTP/1.1 \(reply.status) \(reasonPhrase(reply.status))\r\n"
            + "Content-Type: \(reply.contentType)\r\nContent-Length: \(reply.body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        var bytes = Array(response.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}

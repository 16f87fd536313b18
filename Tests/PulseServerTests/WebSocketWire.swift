import CurlHTTP
import Foundation
import Glibc

/// A WebSocket client on a raw socket, for what a library hides: the offer sent, the answer's
/// extension header, and each frame's RSV1 bit and payload bytes.
enum WebSocketWire {
    struct Frame {
        let fin: Bool
        let rsv1: Bool
        let opcode: UInt8
        let payload: [UInt8]
    }

    struct FirstMessage {
        let status: Int
        let extensions: String?
        let rsv1: Bool
        let payload: [UInt8]
    }

    /// Upgrades `/ws` from `source` (the WebSocket rate limit counts per address) with `offer`,
    /// and reads the first message.
    static func firstMessage(port: Int, source: String, offer: String) async throws -> FirstMessage {
        try await BlockingThread.run {
            guard let fd = RawSocket.connect(from: source, port: port, receiveTimeout: .seconds(30)) else {
                return FirstMessage(status: 0, extensions: nil, rsv1: false, payload: [])
            }
            defer { close(fd) }
            let answer = upgrade(fd, port: port, offer: offer)
            let message = answer.status == 101 ? readMessage(fd) : nil
            return FirstMessage(status: answer.status, extensions: answer.extensions, rsv1: message?.rsv1 ?? false, payload: message?.payload ?? [])
        }
    }

    /// The upgrade request for `/ws` with `token`, to `host` (default: the server's own address),
    /// and with an `Origin` and a `Sec-WebSocket-Extensions` offer when given.
    static func upgradeRequest(
        port: Int, token: String = TestServer.adminToken, host: String? = nil, origin: String? = nil, offer: String? = nil
    ) -> String {
        var lines = [
            "GET /ws HTTP/1.1", "Host: \(host ?? "127.0.0.1:\(port)")", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", "X-API-Token: \(token)",
        ]
        if let origin { lines.append("Origin: \(origin)") }
        if let offer { lines.append("Sec-WebSocket-Extensions: \(offer)") }
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// Sends the upgrade with the admin token and `offer`; the status and the extension answer.
    static func upgrade(_ fd: Int32, port: Int, offer: String) -> (status: Int, extensions: String?) {
        RawSocket.send(fd, upgradeRequest(port: port, offer: offer))
        let response = RawSocket.readResponse(fd)
        let extensions = response.head.split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("sec-websocket-extensions:") }
            .map { String($0.dropFirst("sec-websocket-extensions:".count)).trimmingCharacters(in: .whitespaces) }
        return (response.status, extensions)
    }

    /// The next text or binary frame (server frames are whole messages here), skipping control frames.
    static func readMessage(_ fd: Int32) -> Frame? {
        while let frame = readFrame(fd) {
            if frame.opcode == 0x1 || frame.opcode == 0x2 { return frame }
        }
        return nil
    }

    /// One frame as the server sent it (unmasked); nil when the socket ended first.
    static func readFrame(_ fd: Int32) -> Frame? {
        let head = RawSocket.read(fd, count: 2)
        guard head.count == 2 else { return nil }
        var length = Int(head[1] & 0x7F)
        if length >= 126 {
            let extended = RawSocket.read(fd, count: length == 126 ? 2 : 8)
            guard extended.count == (length == 126 ? 2 : 8) else { return nil }
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        let payload = RawSocket.read(fd, count: length)
        guard payload.count == length else { return nil }
        return Frame(fin: head[0] & 0x80 != 0, rsv1: head[0] & 0x40 != 0, opcode: head[0] & 0x0F, payload: payload)
    }

    /// Sends one whole-message frame, masked as a client must.
    static func send(_ fd: Int32, opcode: UInt8 = 0x1, rsv1: Bool = false, payload: [UInt8]) {
        var frame: [UInt8] = [0x80 | (rsv1 ? 0x40 : 0) | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ...0xFFFF: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        RawSocket.send(fd, bytes: frame)
    }
}

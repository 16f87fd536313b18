import CZlib
import CurlHTTP
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Testing
import WSClient
import WSCompression

@testable import PulseAPI
@testable import PulseServer
@testable import PulseSupport

@Suite("/ws: permessage-deflate, one compression shared by every client")
struct LiveFeedDeflateTests {
    // MARK: negotiation

    @Test(
        arguments: [
            ("permessage-deflate", true),
            ("permessage-deflate; client_max_window_bits", true),
            ("permessage-deflate; client_max_window_bits=10", true),
            ("permessage-deflate; server_max_window_bits=15", true),
            ("permessage-deflate; server_no_context_takeover; client_no_context_takeover", true),
            ("permessage-deflate; server_max_window_bits=10", false),
            ("permessage-deflate; server_max_window_bits", false),
            ("permessage-deflate; client_max_window_bits=16", false),
            ("permessage-deflate; client_max_window_bits=seven", false),
            ("permessage-deflate; server_no_context_takeover=1", false),
            ("permessage-deflate; x-unknown", false),
            ("x-webkit-deflate-frame", false),
        ])
    func offersAreTakenOnlyWhenTheSharedStreamSuitsThem(offer: String, accepted: Bool) {
        let headers: HTTPFields = [.secWebSocketExtensions: offer]
        #expect(LiveFeedDeflate.isNegotiated(by: headers) == accepted)
        // The route's choice and the negotiation's answer agree.
        let answer = LiveFeedDeflate.Builder().serverResponseHeader(to: WebSocketExtensionHTTPParameters.parseHeaders(headers))
        #expect((answer != nil) == accepted)
    }

    @Test func theAnswerPromisesIndependentMessagesAndEchoesTheClientsPromise() {
        let builder = LiveFeedDeflate.Builder()
        let plain = WebSocketExtensionHTTPParameters.parseHeaders([.secWebSocketExtensions: "permessage-deflate; client_max_window_bits"])
        #expect(builder.serverResponseHeader(to: plain) == "permessage-deflate; server_no_context_takeover")
        let promising = WebSocketExtensionHTTPParameters.parseHeaders([.secWebSocketExtensions: "permessage-deflate; client_no_context_takeover"])
        #expect(builder.serverResponseHeader(to: promising) == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        #expect(!LiveFeedDeflate.isNegotiated(by: [:]))
        // Of two offers the first acceptable one is taken, by the route as by the negotiation.
        var two = HTTPFields()
        two.append(HTTPField(name: .secWebSocketExtensions, value: "permessage-deflate; server_max_window_bits=9"))
        two.append(HTTPField(name: .secWebSocketExtensions, value: "permessage-deflate; client_no_context_takeover"))
        #expect(LiveFeedDeflate.isNegotiated(by: two))
        #expect(
            builder.serverResponseHeader(to: WebSocketExtensionHTTPParameters.parseHeaders(two))
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
    }

    // MARK: framing

    /// Documents of several shapes: empty, short, JSON-like and repetitive, incompressible.
    static func documents() -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        let repetitive = Array((0..<4000).map { #"{"id":"host-\#($0)","cpu":\#($0 % 97)}"# }.joined(separator: ",").utf8)
        let random = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return [[], Array("{}".utf8), repetitive, random]
    }

    @Test func aMessagePayloadInflatesToPrefixDocumentAndSuffix() throws {
        let prefix = Array(#"{"type":"rawData","data":"#.utf8)
        let suffix = Array("}".utf8)
        for document in Self.documents() {
            let deflated = Deflate.syncFlushed(ByteBuffer(bytes: document), level: 3)
            #expect(Array(deflated.readableBytesView.suffix(4)) == Deflate.syncFlushTail)
            let payload = LiveFeedDeflate.messagePayload(prefix: prefix, deflated: deflated, suffix: suffix)
            let inflated = try ZlibInflate.raw(Array(payload.readableBytesView) + Deflate.syncFlushTail)
            #expect(inflated == prefix + document + suffix, "a document of \(document.count) bytes")
        }
    }

    @Test func aGzipMemberFromTheSharedBlocksIsWhatZlibReads() throws {
        for document in Self.documents() {
            let member = GzipBody.compress(ByteBuffer(bytes: document), level: 3)
            #expect(try ZlibInflate.gunzip(Array(member.readableBytesView)) == document, "a document of \(document.count) bytes")
        }
        // zlib checks the trailer: a wrong checksum is refused, so the one written is checked.
        var member = Array(GzipBody.compress(ByteBuffer(string: "checked"), level: 3).readableBytesView)
        member[member.count - 8] ^= 0xFF
        #expect(throws: ZlibInflate.Failure.self) { try ZlibInflate.gunzip(member) }
    }

    // MARK: on the wire

    @Test func clientsOfferingDeflateGetOneSharedCompressionOfTheMessage() async throws {
        // An hour's staleness: both clients are served the same document.
        try await TestServer.with(configure: { $0.stateMaxStaleness = .seconds(3600) }) { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let token = try await server.token(scopes: ["host-agent:report"])
                for index in 0..<5 {
                    let response = try await client.post(
                        "/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "deflate-\(index)", agentID: "a\(index)"))
                    #expect(response.status == .ok)
                }
                let offer = "permessage-deflate; client_max_window_bits"
                let first = try await WebSocketWire.firstMessage(port: port, source: "127.0.1.1", offer: offer)
                let second = try await WebSocketWire.firstMessage(port: port, source: "127.0.1.2", offer: offer)
                #expect(first.status == 101)
                #expect(first.extensions == "permessage-deflate; server_no_context_takeover")
                #expect(first.rsv1 && second.rsv1, "compressed frames")
                #expect(first.payload == second.payload, "the same bytes for both clients")

                let document = try #require(server.dependencies.stateDocuments.latest)
                let shared = await document.compressed().messagePayload
                #expect(first.payload == Array(shared.readableBytesView), "the document's one compression")
                let message = try ZlibInflate.raw(first.payload + Deflate.syncFlushTail)
                #expect(message == Array(document.message.readableBytesView))
                #expect(first.payload.count * 2 < message.count, "\(first.payload.count) compressed bytes for \(message.count)")
                let parsed = try #require(try JSONSerialization.jsonObject(with: Data(message)) as? [String: Any])
                #expect(parsed["type"] as? String == "rawData")
                #expect(((parsed["data"] as? [String: Any])?["hosts"] as? [Any])?.count == 5)

                // A client that limits the server's window gets the plain message.
                let limited = try await WebSocketWire.firstMessage(
                    port: port, source: "127.0.1.3", offer: "permessage-deflate; server_max_window_bits=10")
                #expect(limited.status == 101)
                #expect(limited.extensions == nil)
                #expect(!limited.rsv1)
                #expect(limited.payload == Array(document.message.readableBytesView))
            }
        }
    }

    @Test func compressedClientMessagesAreInflatedAndOneInflatingPastTheLimitClosesTheSocket() async throws {
        try await TestServer.with { server, _ in
            try await server.app.application.test(.live) { client in
                let port = try #require(client.port)
                let outcome = try await BlockingThread.run { () -> (kept: Bool, closeCode: UInt16?) in
                    guard let fd = RawSocket.connect(from: "127.0.1.4", port: port, receiveTimeout: .seconds(30)) else { return (false, nil) }
                    defer { close(fd) }
                    guard WebSocketWire.upgrade(fd, port: port, offer: "permessage-deflate").status == 101,
                        WebSocketWire.readMessage(fd) != nil
                    else { return (false, nil) }
                    // Two messages from one stream, the second referring back to the first.
                    let deflater = TestDeflater()
                    let text = Array(String(repeating: "subscribe to everything ", count: 200).utf8)
                    WebSocketWire.send(fd, rsv1: true, payload: deflater.message(text))
                    WebSocketWire.send(fd, rsv1: true, payload: deflater.message(text))
                    // A ping is answered only while the connection stands, after the messages.
                    WebSocketWire.send(fd, opcode: 0x9, payload: Array("still there".utf8))
                    guard let pong = WebSocketWire.readFrame(fd), pong.opcode == 0xA, pong.payload == Array("still there".utf8) else {
                        return (false, nil)
                    }
                    // 1 MiB of zeros compresses to about a kilobyte.
                    WebSocketWire.send(fd, rsv1: true, payload: TestDeflater().message([UInt8](repeating: 0, count: 1 << 20)))
                    while let frame = WebSocketWire.readFrame(fd) {
                        if frame.opcode == 0x8 {
                            return (true, frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil)
                        }
                    }
                    return (true, nil)
                }
                #expect(outcome.kept, "the connection stood through two compressed messages and answered the ping")
                #expect(outcome.closeCode != nil && outcome.closeCode != 1000, "closed with an error code: \(String(describing: outcome.closeCode))")
            }
        }
    }

    @Test func aDeflatingClientLibraryReadsTheLiveState() async throws {
        try await TestServer.with(configure: { $0.liveUpdateInterval = .milliseconds(100) }) { server, _ in
            try await server.app.application.test(.live) { client in
                let token = try await server.token(scopes: ["host-agent:report"])
                // swift-websocket's own permessage-deflate: another implementation reads the frames.
                let configuration = WebSocketClientConfiguration(
                    maxFrameSize: 1 << 22, additionalHeaders: [.apiToken: TestServer.adminToken],
                    extensions: [.perMessageDeflate(maxDecompressedFrameSize: 1 << 22)])
                try await client.ws("/ws", configuration: configuration) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                    _ = try #require(try await messages.next())
                    // The library compresses what it sends, too.
                    try await outbound.write(.text(String(repeating: "hello, server ", count: 100)))
                    let response = try await client.post(
                        "/api/agents/host/report", token: token, body: AgentPayloads.host(hostname: "library-client", agentID: "lib"))
                    #expect(response.status == .ok)
                    var seen = false
                    while !seen, let message = try await messages.next() {
                        guard case .text(let text) = message else { continue }
                        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                        let hosts = (parsed?["data"] as? [String: Any])?["hosts"] as? [[String: Any]] ?? []
                        seen = hosts.contains { $0["hostname"] as? String == "library-client" }
                    }
                    #expect(seen, "the update with the new host arrived and parsed")
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
        }
    }

    // MARK: the inflater

    static func frame(_ opcode: WebSocketOpcode, fin: Bool = true, rsv1: Bool, _ payload: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(fin: fin, rsv1: rsv1, opcode: opcode, data: ByteBuffer(bytes: payload))
    }

    @Test func fragmentedAndFollowingMessagesInflate() async throws {
        let inflater = InboundInflater(maximumMessageSize: 1 << 16)
        let deflater = TestDeflater()
        // Random letters: each message alone compresses little, a repeat refers back whole.
        let text = (0..<6000).map { _ in UInt8.random(in: 0x61...0x7A) }
        let compressed = deflater.message(text)
        let cut = [compressed.count / 3, 2 * compressed.count / 3]
        let parts = [
            try await inflater.process(Self.frame(.text, fin: false, rsv1: true, Array(compressed[..<cut[0]]))),
            try await inflater.process(Self.frame(.continuation, fin: false, rsv1: false, Array(compressed[cut[0]..<cut[1]]))),
            try await inflater.process(Self.frame(.continuation, rsv1: false, Array(compressed[cut[1]...]))),
        ]
        #expect(parts.allSatisfy { !$0.rsv1 })
        #expect(parts.flatMap { Array($0.data.readableBytesView) } == text)
        // The next message refers back to the first (context takeover): far smaller, still right.
        let again = deflater.message(text)
        #expect(again.count * 10 < compressed.count)
        let second = try await inflater.process(Self.frame(.binary, rsv1: true, again))
        #expect(Array(second.data.readableBytesView) == text)
    }

    @Test func aFinalBlockEndsTheStreamAndTheNextMessageStartsAnew() async throws {
        let inflater = InboundInflater(maximumMessageSize: 1 << 16)
        for text in ["first, ended by a final block", "second, a new stream"] {
            let blocks = Deflate.syncFlushed(ByteBuffer(string: text), level: 6)
            // Sent as §7.2.3.4 allows: the blocks, then an empty final block, nothing removed.
            let frame = try await inflater.process(Self.frame(.text, rsv1: true, Array(blocks.readableBytesView) + [0x03, 0x00]))
            #expect(String(buffer: frame.data) == text)
        }
    }

    @Test func uncompressedMessagesAndControlFramesPassUnchanged() async throws {
        let inflater = InboundInflater(maximumMessageSize: 16)
        let text = Array("not compressed, and longer than the limit".utf8)
        let plain = try await inflater.process(Self.frame(.text, rsv1: false, text))
        #expect(Array(plain.data.readableBytesView) == text)
        let ping = try await inflater.process(Self.frame(.ping, rsv1: false, Array("ping".utf8)))
        #expect(Array(ping.data.readableBytesView) == Array("ping".utf8))
    }

    @Test func aMessageInflatingPastTheLimitOrNotDeflateIsRefused() async throws {
        let bomb = TestDeflater().message([UInt8](repeating: 0, count: 100_000))
        await #expect(throws: InboundInflater.Refused.self) {
            _ = try await InboundInflater(maximumMessageSize: 65_536).process(Self.frame(.text, rsv1: true, bomb))
        }
        // The limit counts the whole message, across its frames.
        let half = TestDeflater()
        let split = InboundInflater(maximumMessageSize: 65_536)
        _ = try await split.process(Self.frame(.text, fin: false, rsv1: true, half.message([UInt8](repeating: 1, count: 40_000))))
        await #expect(throws: InboundInflater.Refused.self) {
            _ = try await split.process(Self.frame(.continuation, rsv1: false, half.message([UInt8](repeating: 2, count: 40_000))))
        }
        // Bytes that are no DEFLATE stream (a block type 3 is reserved).
        await #expect(throws: InboundInflater.Refused.self) {
            _ = try await InboundInflater(maximumMessageSize: 65_536).process(Self.frame(.text, rsv1: true, [0xFF, 0xFF, 0xFF]))
        }
        // RSV1 belongs on a message's first frame only.
        let misplaced = InboundInflater(maximumMessageSize: 65_536)
        _ = try await misplaced.process(Self.frame(.text, fin: false, rsv1: false, Array("a".utf8)))
        await #expect(throws: InboundInflater.Refused.self) {
            _ = try await misplaced.process(Self.frame(.continuation, rsv1: true, Array("b".utf8)))
        }
    }
}

/// A client's compressor for test messages: one raw DEFLATE stream for all of them (so later
/// messages may refer to earlier ones), each ended by a sync flush with its four tail bytes removed.
final class TestDeflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    init() {
        stream.initialize(to: z_stream())
        precondition(pulse_deflate_init_raw(stream, 6) == Z_OK)
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    func message(_ bytes: [UInt8]) -> [UInt8] {
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count + 1024)
        let written = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.pointee.next_in = input.baseAddress
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = uInt(output.count)
                precondition(deflate(stream, Z_SYNC_FLUSH) == Z_OK && stream.pointee.avail_in == 0)
                return output.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<(written - 4)])
    }
}

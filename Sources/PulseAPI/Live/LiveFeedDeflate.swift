package import HTTPTypes
package import HummingbirdWebSocket
package import NIOCore
import NIOWebSocket

/// permessage-deflate (RFC 7692) on `/ws`, where every message is the shared state document: it is
/// deflated once per document (`EncodedState.compressed`) and the same compressed bytes go to
/// every client that negotiated the extension, instead of compressing per client.
///
/// The server promises `server_no_context_takeover` (each message stands alone, so one compression
/// suits every client) and therefore declines an offer that limits the server's window below 15
/// bits, which the shared stream uses: that client gets uncompressed messages. Messages from the
/// client are inflated (`InboundInflater`).
package enum LiveFeedDeflate {
    package static let name = "permessage-deflate"

    /// Whether the server accepts `offer` (RFC 7692 §7.1: known parameters, valid values).
    package static func accepts(_ offer: WebSocketExtensionHTTPParameters) -> Bool {
        guard offer.name == name else { return false }
        for (key, value) in offer.parameters {
            switch key {
            case "server_no_context_takeover", "client_no_context_takeover":
                guard value == .null else { return false }
            case "server_max_window_bits":
                guard value.integer == 15 else { return false }
            case "client_max_window_bits":
                if value != .null, !(8...15).contains(value.integer ?? 0) { return false }
            default:
                return false
            }
        }
        return true
    }

    /// Whether an upgrade request with these headers gets the extension: the same choice the
    /// negotiation (`Builder`) makes, for the route, which must frame its messages accordingly.
    package static func isNegotiated(by headers: HTTPFields) -> Bool {
        WebSocketExtensionHTTPParameters.parseHeaders(headers).contains(where: accepts)
    }

    /// The `Sec-WebSocket-Extensions` answer to an accepted offer.
    static func response(to offer: WebSocketExtensionHTTPParameters) -> String {
        var response = "\(name); server_no_context_takeover"
        if offer.parameters["client_no_context_takeover"] != nil { response += "; client_no_context_takeover" }
        return response
    }

    /// The message `prefix + document + suffix` compressed, from the document's blocks
    /// (`Deflate.syncFlushed`): the prefix and suffix as stored blocks around them, ending as §7.2.1
    /// asks (the receiver appends `Deflate.syncFlushTail`). Prefix and suffix are short (< 64 KiB).
    package static func messagePayload(prefix: [UInt8], deflated: ByteBuffer, suffix: [UInt8]) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.reserveCapacity(prefix.count + suffix.count + deflated.readableBytes + 11)
        writeStoredBlock(prefix, to: &payload)
        payload.writeImmutableBuffer(deflated)
        writeStoredBlock(suffix, to: &payload)
        // The header byte of an empty stored block; the receiver's four bytes complete it.
        payload.writeInteger(UInt8(0))
        return payload
    }

    /// A non-final stored block (RFC 1951 §3.2.4) starting on a byte boundary.
    private static func writeStoredBlock(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        precondition(bytes.count <= Int(UInt16.max), "a stored block holds at most 65,535 bytes")
        let length = UInt16(bytes.count)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(length, endianness: .little)
        buffer.writeInteger(~length, endianness: .little)
        buffer.writeBytes(bytes)
    }

    /// The negotiation, for `WebSocketServerConfiguration.extensions`.
    package struct Builder: WebSocketExtensionBuilder {
        package static var name: String { LiveFeedDeflate.name }

        package init() {}

        package func clientRequestHeader() -> String { LiveFeedDeflate.name }

        package func serverReponseHeader(to offer: WebSocketExtensionHTTPParameters) -> String? {
            accepts(offer) ? response(to: offer) : nil
        }

        package func serverExtension(from offer: WebSocketExtensionHTTPParameters) throws -> (any WebSocketExtension)? {
            accepts(offer) ? ServerExtension() : nil
        }

        /// The server never acts as a client with this extension.
        package func clientExtension(from response: WebSocketExtensionHTTPParameters) throws -> (any WebSocketExtension)? { nil }
    }

    /// One connection's side of the extension: frames to send pass unchanged (the feed sets RSV1 on
    /// the ones it compressed); compressed frames received are inflated.
    struct ServerExtension: WebSocketExtension {
        var name: String { LiveFeedDeflate.name }
        var reservedBits: WebSocketFrame.ReservedBits { .rsv1 }
        let inflater = InboundInflater(maximumMessageSize: LiveStateFeed.maximumInboundMessage)

        func processReceivedFrame(_ frame: WebSocketFrame, context: WebSocketExtensionContext) async throws -> WebSocketFrame {
            try await inflater.process(frame)
        }

        func processFrameToSend(_ frame: WebSocketFrame, context: WebSocketExtensionContext) async throws -> WebSocketFrame { frame }

        func shutdown() async {}
    }
}

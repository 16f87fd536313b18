import CZlib
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// Inflates the messages a permessage-deflate client compressed (RFC 7692 §7.2.2), one
/// connection's worth: a message starts compressed when its first frame has RSV1; its frames'
/// data is inflated as it comes, and its end gets the four bytes §7.2.1 removed. The stream is
/// kept between messages (the client may refer to earlier ones) and only allocated once a
/// compressed frame arrives. A message that inflates past `maximumMessageSize`, or data that is
/// not DEFLATE, is refused (`Refused`), and the WebSocket handler closes the connection with an
/// error code.
actor InboundInflater {
    /// Thrown for data that is not DEFLATE or inflates past the limit; the handler then closes.
    struct Refused: Error {}

    let maximumMessageSize: Int
    private var stream: InflateStream?
    /// Whether the message being received is compressed, and how many bytes it inflated to so far.
    private var compressing = false
    private var inflated = 0

    init(maximumMessageSize: Int) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// `frame` as the handler should see it: data frames of a compressed message inflated, RSV1
    /// cleared; every other frame unchanged.
    func process(_ frame: WebSocketFrame) throws -> WebSocketFrame {
        switch frame.opcode {
        case .text, .binary:
            compressing = frame.rsv1
            inflated = 0
        case .continuation:
            guard !frame.rsv1 else { throw Refused() }  // RSV1 is only set on a message's first frame
        default:
            return frame
        }
        guard compressing else { return frame }
        var data = frame.unmaskedData
        if frame.fin { data.writeBytes(Deflate.syncFlushTail) }
        var result = frame
        result.rsv1 = false
        result.maskKey = nil
        result.data = try inflate(data)
        if frame.fin { compressing = false }
        return result
    }

    private func inflate(_ input: ByteBuffer) throws -> ByteBuffer {
        let stream = try openStream()
        var output = ByteBuffer()
        try input.withUnsafeReadableBytes { bytes in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(bytes.count)
            while true {
                let room = maximumMessageSize - inflated + 1
                var status: Int32 = Z_OK
                let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: min(room, 16 * 1024)) { target in
                    let space = min(target.count, room)
                    stream.pointee.next_out = target.bindMemory(to: Bytef.self).baseAddress
                    stream.pointee.avail_out = uInt(space)
                    status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                    return space - Int(stream.pointee.avail_out)
                }
                inflated += written
                guard inflated <= maximumMessageSize else { throw Refused() }
                switch status {
                case Z_STREAM_END:
                    // A final block (§7.2.3.4 allows one) ends the stream; what follows it in this
                    // frame is the appended tail. The next message starts a new stream.
                    inflateReset(stream)
                    return
                case Z_OK, Z_BUF_ERROR:
                    // All taken and all given out (zlib left room unused): the frame is done.
                    if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                    // Input left but no progress with room to spare: not a DEFLATE stream.
                    if status == Z_BUF_ERROR && stream.pointee.avail_out > 0 { throw Refused() }
                default:
                    throw Refused()
                }
            }
        }
        return output
    }

    private func openStream() throws -> UnsafeMutablePointer<z_stream> {
        if let stream { return stream.pointer }
        let opened = try InflateStream()
        stream = opened
        return opened.pointer
    }
}

/// A raw inflate stream at a fixed address (zlib's state points back at it), ended when released.
private final class InflateStream {
    let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    init() throws {
        pointer.initialize(to: z_stream())
        // On failure deinit still runs and frees the pointer (inflateEnd refuses a stream zlib never began).
        guard pulse_inflate_init_raw(pointer) == Z_OK else { throw InboundInflater.Refused() }
    }

    deinit {
        inflateEnd(pointer)
        pointer.deallocate()
    }
}

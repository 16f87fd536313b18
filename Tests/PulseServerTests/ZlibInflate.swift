import CZlib

/// Inflating with the system's zlib directly, to check what the server compressed.
enum ZlibInflate {
    struct Failure: Error {}

    /// A whole gzip member (zlib checks its header, CRC and length).
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let (output, ended) = try inflate(bytes, open: pulse_inflate_init_gzip)
        guard ended else { throw Failure() }
        return output
    }

    /// Raw DEFLATE blocks that need not end the stream: a permessage-deflate payload with its
    /// four tail bytes put back (RFC 7692 §7.2.2).
    static func raw(_ bytes: [UInt8]) throws -> [UInt8] {
        try inflate(bytes, open: pulse_inflate_init_raw).output
    }

    private static func inflate(_ bytes: [UInt8], open: (UnsafeMutablePointer<z_stream>) -> Int32) throws -> (output: [UInt8], ended: Bool) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard open(stream) == Z_OK else { throw Failure() }
        defer { inflateEnd(stream) }
        var output: [UInt8] = []
        var input = bytes
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status = Z_OK
        try input.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = uInt(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { chunk in
                    stream.pointee.next_out = chunk.baseAddress
                    stream.pointee.avail_out = uInt(chunk.count)
                    status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                    return chunk.count - Int(stream.pointee.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END || (status == Z_BUF_ERROR && stream.pointee.avail_in == 0) else {
                    throw Failure()
                }
                output += chunk[0..<produced]
            } while status != Z_STREAM_END && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0)
        }
        guard stream.pointee.avail_in == 0 else { throw Failure() }
        return (output, status == Z_STREAM_END)
    }
}

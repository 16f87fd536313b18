import CZlib
package import NIOCore

/// gzip (RFC 1952) of a response body, with the system's zlib.
package enum GzipBody {
    /// The compression level: 6, zlib's default, about 10× on the state's JSON.
    static let level: Int32 = 6

    /// `bytes` compressed as one gzip member.
    package static func compress(_ bytes: ByteBuffer) -> ByteBuffer {
        bytes.withUnsafeReadableBytes { input in
            var stream = z_stream()
            guard pulse_deflate_init_gzip(&stream, level) == Z_OK else {
                preconditionFailure("zlib could not start a gzip stream (out of memory)")
            }
            defer { deflateEnd(&stream) }
            let bound = Int(deflateBound(&stream, UInt(input.count)))
            var output = ByteBuffer()
            output.reserveCapacity(bound)
            _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { target in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                // With `deflateBound` bytes of room one call compresses the whole input.
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate with deflateBound's room did not finish: \(status)")
                return target.count - Int(stream.avail_out)
            }
            return output
        }
    }
}

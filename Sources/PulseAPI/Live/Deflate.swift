import CZlib
package import NIOCore

/// Raw DEFLATE (RFC 1951) with the system's zlib: the one compression behind gzip bodies
/// (`GzipBody`) and permessage-deflate messages (`LiveFeedDeflate`).
package enum Deflate {
    /// The bytes of an empty stored block that a sync flush ends with, after its three header bits
    /// (RFC 7692 §7.2.1 removes them from a message; RFC 1951 §3.2.4).
    static let syncFlushTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// `bytes` compressed at `level` (0–9) as DEFLATE blocks, none of them final, ending in a sync
    /// flush (an empty stored block) so the result ends on a byte boundary with `syncFlushTail`. It
    /// refers to nothing before its start, so it can follow other blocks in a longer stream.
    package static func syncFlushed(_ bytes: ByteBuffer, level: Int32) -> ByteBuffer {
        bytes.withUnsafeReadableBytes { input in
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            defer { stream.deallocate() }
            guard pulse_deflate_init_raw(stream, level) == Z_OK else {
                preconditionFailure("zlib could not start a deflate stream (out of memory)")
            }
            defer { deflateEnd(stream) }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            var output = ByteBuffer()
            // The bound is for a finished stream; the sync flush's block needs a few bytes more.
            var room = Int(deflateBound(stream, UInt(input.count))) + 16
            while true {
                var status: Int32 = Z_OK
                _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { target in
                    stream.pointee.next_out = target.bindMemory(to: Bytef.self).baseAddress
                    stream.pointee.avail_out = uInt(target.count)
                    status = deflate(stream, Z_SYNC_FLUSH)
                    return target.count - Int(stream.pointee.avail_out)
                }
                precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed: \(status)")
                // Done once all input is taken and the flush fitted (zlib left room unused).
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return output }
                room = 64 * 1024
            }
        }
    }
}

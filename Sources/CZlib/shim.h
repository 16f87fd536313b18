#ifndef PULSE_CZLIB_SHIM_H
#define PULSE_CZLIB_SHIM_H

#include <zlib.h>

/* deflateInit2 is a macro, which Swift cannot call. This typed wrapper starts a raw deflate
   stream (RFC 1951: window bits -15, no zlib or gzip framing) at `level`; the callers frame it. */
static inline int pulse_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

/* inflateInit2, likewise: reads a raw deflate stream with any window up to 15 bits. */
static inline int pulse_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}

/* inflateInit2, likewise: reads a gzip stream (for tests). */
static inline int pulse_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif

#ifndef PULSE_CZLIB_SHIM_H
#define PULSE_CZLIB_SHIM_H

#include <zlib.h>

/* deflateInit2 is a macro, which Swift cannot call. This typed wrapper starts a gzip stream
   (window bits 15 + 16: a gzip header and trailer instead of zlib's) at `level`. */
static inline int pulse_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/* inflateInit2, likewise: reads a gzip stream (for tests). */
static inline int pulse_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif

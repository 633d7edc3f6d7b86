#include <zlib.h>

// deflateInit2 and inflateInit2 are macros Swift cannot call; these wrappers take their place.
static inline int dbm_deflate_init2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

static inline int dbm_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

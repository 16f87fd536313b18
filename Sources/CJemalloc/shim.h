#ifndef PULSE_CJEMALLOC_SHIM_H
#define PULSE_CJEMALLOC_SHIM_H

#include <stddef.h>

/* The one jemalloc entry point the server calls itself; malloc and free are jemalloc's by linking.
   Declared here rather than through <jemalloc/jemalloc.h>, whose malloc declarations would clash
   with glibc's in the Glibc module. */
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

#endif

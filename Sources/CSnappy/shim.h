#ifndef PULSE_CSNAPPY_SHIM_H
#define PULSE_CSNAPPY_SHIM_H

/* Snappy's C interface (block format: what Prometheus remote write sends). */
#include <snappy-c.h>

#endif

#!/usr/bin/env bash
# `make bench`: the metrics history store with 1,000 series (release build): write throughput,
# bytes per point on disk after rollups and retention, history query p50/p95 for 24 h and 7 d.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pulse >/dev/null
"$(swift build -c release --show-bin-path)/pulse" bench-metrics --series "${BENCH_SERIES:-1000}"
# The server's own pattern at the scale of 1,000 hosts and 1,000 Docker hosts (46,000 series, a
# flush per 10 s sampling round): the defaults (4 MiB page cache, no map), a 32 MiB cache, and
# 256 MiB of the file mapped (the server's setting before: each touched page stays in its resident set).
for options in "--page-cache-kib 4096" "--page-cache-kib 32768" "--mapped-mib 256"; do
    # shellcheck disable=SC2086
    "$(swift build -c release --show-bin-path)/pulse" bench-metrics --series "${BENCH_SCALE_SERIES:-46000}" --write-minutes 10 --flush-every 10 \
        $options --write-only
done

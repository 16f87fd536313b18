#!/usr/bin/env bash
# `make bench`: the metrics history store with 1,000 series (release build): write throughput,
# bytes per point on disk after rollups and retention, history query p50/p95 for 24 h and 7 d.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pulse >/dev/null
"$(swift build -c release --show-bin-path)/pulse" bench-metrics --series "${BENCH_SERIES:-1000}"

#!/usr/bin/env bash
# The agent next to Debian's prometheus-node-exporter on this machine, in one run: RSS after 100
# collections, CPU time per collection (agent: collect + encode the report; node_exporter: one
# scrape of its default collectors), and binary size (the agent stripped and statically linked
# against the Swift runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh prometheus-node-exporter curl >/dev/null
agent=$(scripts/dist.sh | tail -1 | cut -d: -f1)
exporter=/usr/bin/prometheus-node-exporter
collections=${BENCH_COLLECTIONS:-100}

agent_line=$("$agent" --benchmark-collections "$collections" 2>/dev/null)
agent_cpu=$(echo "$agent_line" | sed 's/.*cpu_ms_per_collection=\([0-9.e-]*\).*/\1/')
agent_rss=$(echo "$agent_line" | sed 's/.*rss_kb=\([0-9]*\).*/\1/')
agent_anon=$(echo "$agent_line" | sed 's/.*anon_kb=\([0-9]*\).*/\1/')
agent_binary=$(echo "$agent_line" | sed 's/.*binary_kb=\([0-9]*\).*/\1/')
agent_libraries=$(echo "$agent_line" | sed 's/.*libraries_kb=\([0-9]*\).*/\1/')

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$exporter" --web.listen-address="127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/metrics" >/dev/null && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu_before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
for _ in $(seq 1 "$collections"); do curl -fs "http://127.0.0.1:$port/metrics" >/dev/null; done
cpu_after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
exporter_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
exporter_anon=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")
exporter_cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks" -v n="$collections" 'BEGIN { printf "%.3f", (b - a) / t * 1000 / n }')

printf '\n%-26s %14s %14s %8s\n' "" "pulse-agent" "node_exporter" "ratio"
awk -v a="$agent_rss" -v b="$exporter_rss" 'BEGIN { printf "%-26s %11.1f MB %11.1f MB %8.2f\n", "RSS after 100 cycles", a/1024, b/1024, a/b }'
awk -v a="$agent_anon" -v b="$exporter_anon" 'BEGIN { printf "%-26s %11.1f MB %11.1f MB %8.2f\n", "  of which private (anon)", a/1024, b/1024, a/b }'
awk -v a="$agent_binary" -v b="$exporter_rss" -v l="$agent_libraries" 'BEGIN { printf "%-26s %11.1f MB %14s    (shared libraries: %.1f MB, libc, libcurl and its TLS/auth libraries)\n", "  of which its binary", a/1024, "", l/1024 }'
awk -v a="$agent_cpu" -v b="$exporter_cpu" 'BEGIN { printf "%-26s %11.2f ms %11.2f ms %8.2f\n", "CPU per cycle", a, b, a/b }'
awk -v a="$(stat -c %s "$agent")" -v b="$(stat -c %s "$exporter")" 'BEGIN { printf "%-26s %11.1f MB %11.1f MB %8.2f\n", "binary size", a/1048576, b/1048576, a/b }'
echo "targets: RSS <= 0.6x, CPU <= 0.25x, agent binary <= 12 MB"

#!/usr/bin/env bash
# `make bench` (alerts): alert latency on arrival. A host reports 97 % CPU once a second against
# a trigger of 90 % with a 5 s delay; prints how long after its first such report the CPU alert
# is visible in /api/state (polled every 50 ms), and how long after the delay passed, over
# BENCH_ALERT_RUNS runs (default 3, a fresh host each) as min/median/max. Figures only, nothing
# is asserted.
#
# PULSE_BIN: the server to measure (default: a release build of this tree). With PULSE_BIN_BEFORE
# as well, both are measured one after the other, labelled before/after, with the ratio of the
# medians. BENCH_ALERT_PHASE and BENCH_ALERT_TIMEOUT: see bench/alert_latency.py.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${BENCH_ALERT_RUNS:-3}
log_level=${BENCH_LOG_LEVEL:-warning}
phase=${BENCH_ALERT_PHASE:-10}
timeout_s=${BENCH_ALERT_TIMEOUT:-60}
if [ -z "${PULSE_BIN:-}" ]; then
    swift build -c release --product pulse >/dev/null
    PULSE_BIN="$(swift build -c release --show-bin-path)/pulse"
fi
if [ -n "${PULSE_BIN_BEFORE:-}" ]; then
    labels=(before after)
    bins=("$PULSE_BIN_BEFORE" "$PULSE_BIN")
else
    labels=("")
    bins=("$PULSE_BIN")
fi
for bin in "${bins[@]}"; do
    [ -x "$bin" ] || { echo "error: $bin is not an executable pulse binary" >&2; exit 1; }
done

# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -TERM "$server" 2>/dev/null; rm -rf "$work"' EXIT

echo "pulse alert latency: $(nproc) cores, host CPU trigger 90/clear 80, 5 s delay, reports every 1 s, $runs runs"
for i in "${!bins[@]}"; do
    label=${labels[$i]} bin=${bins[$i]}
    run_dir="$work/${label:-run}"
    mkdir -p "$run_dir"
    port=$(free_port)
    admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    (umask 077; echo "$admin" > "$run_dir/admin-token")
    # The server lives no longer than the runs can take, even if this script is killed.
    limit=$(( 30 + runs * (${phase%.*} + ${timeout_s%.*} + 5) ))
    timeout "$limit" "$bin" --data-dir "$run_dir/data" --bind-address 127.0.0.1 --port "$port" \
        --api-tokens-file "$run_dir/admin-token" --log-level "$log_level" > "$run_dir/server.log" 2>&1 &
    server=$!
    python3 - "$port" <<'EOF' || { echo "error: the server did not start:" >&2; cat "$run_dir/server.log" >&2; exit 1; }
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/health", timeout=1).read()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
    echo "${label:+$label: }$bin"
    python3 bench/alert_latency.py 127.0.0.1 "$port" "$admin" "$runs" "$label" "$run_dir/median"
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    server=
done

if [ -n "${PULSE_BIN_BEFORE:-}" ]; then
    awk -v b="$(cat "$work/before/median")" -v a="$(cat "$work/after/median")" \
        'BEGIN { printf "before/after (median after the first report): %.2f s / %.2f s = %.2fx\n", b, a, b / a }'
fi

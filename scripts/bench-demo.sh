#!/usr/bin/env bash
# `make bench` (demo mode): what dashboards cost at scale. Starts a release `pulse` in demo mode
# with BENCH_DEMO_NODES nodes (default 500) and BENCH_DEMO_VMS + BENCH_DEMO_LXCS guests per node
# (default 6 + 4: 5,000 guests), readings moving every 2 s through the PVE poller and the agent
# ingest, plus BENCH_DEMO_HOSTS host agents (default 1,000) reporting over HTTP every
# BENCH_DEMO_REPORT_INTERVAL s (default 10). Prints the server's CPU share with no client, then
# (bench/demo_state.py) GET /api/state's p50/p95, plain and gzip, over BENCH_DEMO_REQUESTS
# requests each (default 200, one at a time) beside GET /api/health's, the body and /ws message
# sizes, the agent reports' p99 with no /ws client, with BENCH_DEMO_WS_CLIENTS (default 100)
# clients offering permessage-deflate as browsers do, and with as many that do not, and the
# server's resident memory. Figures only, with their targets; nothing is asserted.
#
# PULSE_BIN: the server to measure (default: a release build of this tree).
# PULSE_BASE_BIN: another server (say, a release build of main) measured the same way first, so the
# table shows before and after from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${BENCH_DEMO_NODES:-500}
vms=${BENCH_DEMO_VMS:-6}
lxcs=${BENCH_DEMO_LXCS:-4}
requests=${BENCH_DEMO_REQUESTS:-200}
log_level=${BENCH_LOG_LEVEL:-warning}
export BENCH_DEMO_HOSTS=${BENCH_DEMO_HOSTS:-1000}
export BENCH_DEMO_REPORT_INTERVAL=${BENCH_DEMO_REPORT_INTERVAL:-10}
export BENCH_DEMO_INGEST_SECONDS=${BENCH_DEMO_INGEST_SECONDS:-20}
export BENCH_DEMO_WS_CLIENTS=${BENCH_DEMO_WS_CLIENTS:-100}
scripts/install-deps.sh curl
if [ -z "${PULSE_BIN:-}" ]; then
    swift build -c release --product pulse >/dev/null
    PULSE_BIN="$(swift build -c release --show-bin-path)/pulse"
fi
for binary in "$PULSE_BIN" ${PULSE_BASE_BIN:+"$PULSE_BASE_BIN"}; do
    [ -x "$binary" ] || { echo "error: $binary is not an executable pulse binary" >&2; exit 1; }
done

# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -TERM "$server" 2>/dev/null; rm -rf "$work"' EXIT

# measure LABEL BINARY: one server, its figures in $work/LABEL.json.
measure() {
    local label=$1 binary=$2 port admin pulse_pid before after
    port=$(free_port)
    admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    (umask 077; echo "$admin" > "$work/admin-token-$label")
    echo "== $label: $binary"
    # The server lives no longer than the measurement can take, even if this script is killed.
    PULSE_MOCK_MODE=true PULSE_MOCK_NODES=$nodes PULSE_MOCK_VMS_PER_NODE=$vms PULSE_MOCK_LXCS_PER_NODE=$lxcs \
        timeout 1800 "$binary" --data-dir "$work/data-$label" --bind-address 127.0.0.1 --port "$port" \
        --api-tokens-file "$work/admin-token-$label" --log-level "$log_level" > "$work/server-$label.log" 2>&1 &
    server=$!
    for _ in $(seq 1 1200); do
        curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
        kill -0 "$server" 2>/dev/null || { echo "error: the server did not start:" >&2; cat "$work/server-$label.log" >&2; exit 1; }
        sleep 0.5
    done
    pulse_pid=$(pgrep -P "$server" | head -1)
    pulse_pid=${pulse_pid:-$server}
    # What the moving estate costs with no client at all: CPU time over 10 s (readings, alerts, metrics).
    cpu_ticks() { awk '{print $14 + $15}' "/proc/$pulse_pid/stat"; }
    before=$(cpu_ticks); sleep 10; after=$(cpu_ticks)
    echo "server CPU with no client: $(( (after - before) * 100 / $(getconf CLK_TCK) / 10 ))% of one core (10 s)"
    PULSE_BENCH_TOKEN=$admin python3 bench/demo_state.py measure "$port" "$pulse_pid" "$requests" "$nodes" \
        "$((nodes * (vms + lxcs)))" "$work/$label.json"
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    server=
}

echo "pulse demo mode: $(nproc) cores, $nodes nodes × ($vms VMs + $lxcs containers), readings every 2 s," \
    "$BENCH_DEMO_HOSTS agent hosts reporting every $BENCH_DEMO_REPORT_INTERVAL s, $requests requests each"
runs=()
if [ -n "${PULSE_BASE_BIN:-}" ]; then
    measure before "$PULSE_BASE_BIN"
    runs+=("before=$work/before.json")
fi
measure after "$PULSE_BIN"
runs+=("after=$work/after.json")
echo
python3 bench/demo_state.py table "${runs[@]}"

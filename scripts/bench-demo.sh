#!/usr/bin/env bash
# `make bench` (demo mode): what a dashboard costs at scale. Starts a release `pulse` in demo mode
# with BENCH_DEMO_NODES nodes (default 500) and BENCH_DEMO_VMS + BENCH_DEMO_LXCS guests per node
# (default 6 + 4: 5,000 guests), readings moving every 2 s through the PVE poller and the agent
# ingest, then prints the server's CPU share with no client, GET /api/state's p50/p95 over BENCH_DEMO_REQUESTS requests (default 100,
# one at a time) beside GET /api/health's, and the size of the first and a later /ws message
# (bench/demo_state.py). Figures only, nothing is asserted.
#
# PULSE_BIN: the server to measure (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${BENCH_DEMO_NODES:-500}
vms=${BENCH_DEMO_VMS:-6}
lxcs=${BENCH_DEMO_LXCS:-4}
requests=${BENCH_DEMO_REQUESTS:-100}
log_level=${BENCH_LOG_LEVEL:-warning}
scripts/install-deps.sh curl
if [ -z "${PULSE_BIN:-}" ]; then
    swift build -c release --product pulse >/dev/null
    PULSE_BIN="$(swift build -c release --show-bin-path)/pulse"
fi
[ -x "$PULSE_BIN" ] || { echo "error: $PULSE_BIN is not an executable pulse binary" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -TERM "$server" 2>/dev/null; rm -rf "$work"' EXIT
port=$(free_port)
admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
(umask 077; echo "$admin" > "$work/admin-token")

echo "pulse demo mode: $(nproc) cores, $nodes nodes × ($vms VMs + $lxcs containers), readings every 2 s, $requests requests each"
# The server lives no longer than the measurement can take, even if this script is killed.
PULSE_MOCK_MODE=true PULSE_MOCK_NODES=$nodes PULSE_MOCK_VMS_PER_NODE=$vms PULSE_MOCK_LXCS_PER_NODE=$lxcs \
    timeout 1800 "$PULSE_BIN" --data-dir "$work/data" --bind-address 127.0.0.1 --port "$port" \
    --api-tokens-file "$work/admin-token" --log-level "$log_level" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 1200); do
    curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { echo "error: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
    sleep 0.5
done
pulse_pid=$(pgrep -P "$server" | head -1)
pulse_pid=${pulse_pid:-$server}
# What the moving estate costs with no client at all: CPU time over 10 s (readings, alerts, metrics).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pulse_pid/stat"; }
before=$(cpu_ticks); sleep 10; after=$(cpu_ticks)
echo "server CPU with no client: $(( (after - before) * 100 / $(getconf CLK_TCK) / 10 ))% of one core (10 s)"
PULSE_BENCH_TOKEN=$admin python3 bench/demo_state.py "$port" "$requests" "$nodes" "$((nodes * (vms + lxcs)))"
printf 'RSS %s MB\n' "$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pulse_pid/status")"
kill -TERM "$server"; wait "$server" 2>/dev/null || true
server=

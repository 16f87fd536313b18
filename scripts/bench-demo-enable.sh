#!/usr/bin/env bash
# `make bench` (demo mode through the API): how long `PUT /api/system/mock-mode` takes to turn on a
# large demo estate — BENCH_ENABLE_NODES nodes (default 1,000) with BENCH_ENABLE_GUESTS guests each
# (default 10, half VMs, half containers) and BENCH_ENABLE_HOSTS host agents (default 1,000) — and
# when `/api/state` first holds all of it. Each new host links the estate's nodes to their machines,
# so this is where linking that grows with the estate per host shows. PULSE_BIN: the server to
# measure (default: a release build of this tree); PULSE_BASE_BIN: another one measured first.
# Figures only; nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${BENCH_ENABLE_NODES:-1000}
guests=${BENCH_ENABLE_GUESTS:-10}
hosts=${BENCH_ENABLE_HOSTS:-1000}
scripts/install-deps.sh curl
if [ -z "${PULSE_BIN:-}" ]; then
    swift build -c release --product pulse >/dev/null
    PULSE_BIN="$(swift build -c release --show-bin-path)/pulse"
fi
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -TERM "$server" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

echo "pulse demo mode through the API: $nodes nodes × $guests guests and $hosts hosts"
for binary in ${PULSE_BASE_BIN:+"$PULSE_BASE_BIN"} "$PULSE_BIN"; do
    port=$(free_port)
    admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    (umask 077; echo "$admin" > "$work/admin-token")
    rm -rf "$work/data"
    timeout 600 "$binary" --data-dir "$work/data" --bind-address 127.0.0.1 --port "$port" \
        --api-tokens-file "$work/admin-token" --log-level warning > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
    start=$(date +%s.%N)
    body=$(printf '{"enabled": true, "config": {"nodeCount": %d, "vmsPerNode": %d, "lxcsPerNode": %d, "genericHostCount": %d, "dockerHostCount": 0, "k8sClusterCount": 0}}' \
        "$nodes" "$((guests / 2))" "$((guests - guests / 2))" "$hosts")
    put=$(curl -s -o /dev/null -w "%{http_code} %{time_total}" -m 300 -X PUT -H "X-API-Token: $admin" \
        -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/system/mock-mode")
    held=
    for _ in $(seq 1 1500); do
        held=$(curl -s -m 300 -H "X-API-Token: $admin" "http://127.0.0.1:$port/api/state" |
            python3 -c 'import json,sys; s=json.load(sys.stdin); print(len(s["hosts"]), len(s["nodes"]))' 2>/dev/null || true)
        [ "$held" = "$hosts $nodes" ] && break
        sleep 0.2
    done
    end=$(date +%s.%N)
    echo "  $binary: PUT answered ${put#* } s (status ${put%% *}); /api/state held $held hosts and nodes" \
        "after $(python3 -c "print(round($end - $start, 2))") s"
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    server=
done

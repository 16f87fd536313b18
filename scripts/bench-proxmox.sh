#!/usr/bin/env bash
# `make bench` (Proxmox part): the cost of one PVE poll cycle of a release `pulse` against
# fakepve, for 1 node / 100 guests and 5 nodes / 1,000 guests (BENCH_PVE="1:100 5:1000").
# Prints API requests per cycle (and per node) and the cycle time of the first cycle (it also
# reads disks and backups) and of the 10th, read from /api/monitoring/scheduler/health, and the
# average over cycles 2-11 (every per-guest slice once, one backup cycle), counted by fakepve.
set -euo pipefail
cd "$(dirname "$0")/.."

shapes=${BENCH_PVE:-"1:100 5:1000"}
swift build -c release --product pulse >/dev/null
bin=$(swift build -c release --show-bin-path)
python=$(scripts/fakepve-venv.sh)
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

printf '%-6s %-7s %-8s %14s %14s %16s\n' nodes guests cycle requests req/node cycle_ms
for shape in $shapes; do
    nodes=${shape%%:*} guests=${shape##*:}
    work=$(mktemp -d)
    mkfifo "$work/peer-in"
    "$python" Tests/PulseServerTests/Fixtures/tools/pve-peer.py "$work" --nodes "$nodes" --guests "$guests" --ceph --backups \
        <"$work/peer-in" >"$work/peer-out" 2>"$work/peer-err" &
    peer=$!
    exec 8>"$work/peer-in"
    until [ -s "$work/peer-out" ]; do sleep 0.1; done
    info=$(head -1 "$work/peer-out")
    field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$info" "$1"; }
    port=$(free_port)
    admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    API_TOKENS=$admin "$bin/pulse" --data-dir "$work/data" --bind-address 127.0.0.1 --port "$port" --log-level warning \
        --pve-polling-interval 2 >"$work/pulse.log" 2>&1 &
    server=$!
    until curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do sleep 0.1; done
    body=$(python3 -c 'import json,sys; print(json.dumps({"type":"pve","name":"bench","host":sys.argv[1],"user":"pulse@pve","tokenName":sys.argv[2],"tokenValue":sys.argv[3],"fingerprint":sys.argv[4]}))' \
        "$(field url)" "$(field tokenId)" "$(field tokenSecret)" "$(field fingerprint)")
    curl -fs -o /dev/null -H "X-API-Token: $admin" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/config/nodes"
    health() { curl -fs -H "X-API-Token: $admin" "http://127.0.0.1:$port/api/monitoring/scheduler/health"; }
    report() {
        health | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]["pollStatus"]
nodes = int(sys.argv[1])
print("%-6s %-7s %-8s %14s %14.1f %16s" % (sys.argv[1], sys.argv[2], sys.argv[3], i["lastRequests"], i["lastRequests"] / nodes, i.get("lastDurationMs")))
' "$nodes" "$guests" "$1"
    }
    polls() {
        health | python3 -c '
import json, sys
try: print(json.load(sys.stdin)["instances"][0]["pollStatus"]["successfulPolls"])
except (LookupError, ValueError): print(0)'
    }
    peer_requests() { echo requests >&8; sleep 0.3; tail -1 "$work/peer-out" | awk '{print $2}'; }
    until [ "$(polls)" -ge 1 ]; do sleep 0.1; done
    report first
    peer_requests >/dev/null
    until [ "$(polls)" -ge 10 ]; do sleep 0.1; done
    report 10th
    until [ "$(polls)" -ge 11 ]; do sleep 0.1; done
    total=$(peer_requests)
    printf '%-6s %-7s %-8s %14.1f %14.1f %16s\n' "$nodes" "$guests" "avg 2-11" "$(python3 -c "print($total / 10)")" "$(python3 -c "print($total / 10 / $nodes)")" "-"
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
    exec 8>&-
    wait "$peer" 2>/dev/null || true
    rm -rf "$work"
done

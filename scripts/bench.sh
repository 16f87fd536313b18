#!/usr/bin/env bash
# `make bench`: agent-report throughput of a release build of `pulse` on this machine.
# For N simulated agents (default 100 and 1000) it mints one host and one Docker token per agent,
# then wrk sends ~3 KB host reports and 20-container Docker reports over N keep-alive
# connections on loopback. Prints reports/s, p50/p99 latency, server RSS, and checks that every
# agent is in /api/state afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

agent_counts=${BENCH_AGENTS:-"100 1000"}
duration=${BENCH_DURATION:-15s}
log_level=${BENCH_LOG_LEVEL:-warning}

scripts/install-deps.sh wrk curl
swift build -c release --product pulse >/dev/null
bin=$(swift build -c release --show-bin-path)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

printf '\n%-8s %12s %10s %10s %10s %10s %8s\n' agents reports/s p50_ms p99_ms rss_MB peak_MB errors
for agents in $agent_counts; do
    work=$(mktemp -d)
    port=$(free_port)
    admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    (umask 077; echo "$admin" > "$work/admin-token")
    "$bin/pulse" --data-dir "$work/data" --bind-address 127.0.0.1 --port "$port" \
        --api-tokens-file "$work/admin-token" --log-level "$log_level" > "$work/server.log" 2>&1 &
    server=$!
    trap 'kill -TERM $server 2>/dev/null || true; rm -rf "$work"' EXIT
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done

    python3 bench/make_payloads.py 127.0.0.1 "$port" "$admin" "$agents" "$work/agents.lua" >&2
    # Warm-up: every agent reports once, so the measured run sees a full state.
    PULSE_BENCH_DATA="$work/agents.lua" wrk -t2 -c"$agents" -d3s --timeout 10s -s bench/reports.lua "http://127.0.0.1:$port" >/dev/null
    result=$(PULSE_BENCH_DATA="$work/agents.lua" wrk -t2 -c"$agents" -d"$duration" --timeout 10s -s bench/reports.lua \
        "http://127.0.0.1:$port" | grep '^RESULT')
    rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
    peak_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
    counts=$(curl -fs -H "X-API-Token: $admin" "http://127.0.0.1:$port/api/state" |
        python3 -c 'import json,sys; s=json.load(sys.stdin); print(len(s["hosts"]), len(s["dockerHosts"]))')

    eval "$(echo "$result" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/r_/')"
    errors=$((r_errors_status + r_errors_connect + r_errors_timeout))
    awk -v a="$agents" -v req="$r_requests" -v dur="$r_duration_us" -v p50="$r_p50_us" -v p99="$r_p99_us" \
        -v rss="$rss_kb" -v peak="$peak_kb" -v err="$errors" \
        'BEGIN { printf "%-8s %12.0f %10.2f %10.2f %10.1f %10.1f %8d\n", a, req / (dur / 1e6), p50 / 1000, p99 / 1000, rss / 1024, peak / 1024, err }'
    echo "         state after the run: $counts (hosts, dockerHosts; expected $agents each)" >&2

    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    rm -rf "$work"
    trap - EXIT
done

#!/usr/bin/env bash
# `make bench`: agent-report throughput of a release build of `pulse` on this machine.
#
# For N simulated agents (default 100 and 1000) it mints one host and one Docker token per agent,
# lets every agent report at low concurrency (reading the server's RSS when it holds N hosts, and
# then N hosts plus N Docker hosts with 20 containers each), and then drives wrk over N keep-alive loopback
# connections: first a trivial authenticated GET (an agent's update check, /api/agent/version with
# its token: the baseline every rate is divided by: absolute
# rates differ 2x between machines), then host reports only (~3 KB), Docker reports only (20
# containers, ~14 KB; only the timestamp changes between heartbeats), "moving" Docker reports (every
# container's CPU, memory and uptime change too, as a real agent's do) and host and Docker reports in
# turn. Prints requests/s with the ratio to the GET, p50/p99 latency and RSS (right after filling the state,
# the median of ten readings from 15 s later once the background passes have run, during each run, and 25 s after the runs) and the
# server's own CPU time per request (from /proc, so independent of what the load generator costs;
# with its ratio to the GET's); BENCH_PERF=<folder> also records a perf profile of the server per run;
# checks every agent is in /api/state. The simulated agents all connect from 127.0.0.1, so the
# server's per-address connection cap is raised to the agent count (real agents have addresses of
# their own). Everything runs twice: over plain HTTP and over HTTPS
# (BENCH_TRANSPORTS="plain tls"; the server terminating TLS itself with a self-signed certificate).
set -euo pipefail
cd "$(dirname "$0")/.."

agent_counts=${BENCH_AGENTS:-"100 1000"}
# "plain" HTTP and "tls" (HTTPS with a self-signed certificate made here, as behind no proxy).
transports=${BENCH_TRANSPORTS:-"plain tls"}
duration=${BENCH_DURATION:-15s}
log_level=${BENCH_LOG_LEVEL:-warning}
mixes=${BENCH_MIXES:-"get host docker moving mixed"}
# Rounds of every mix in turn: on a shared machine the rate moves by a third between minutes, so
# each ratio is taken against the same round's GET and the median over the rounds is printed last.
rounds=${BENCH_ROUNDS:-1}

scripts/install-deps.sh wrk curl openssl
# PULSE_BIN: the server to measure (default: a release build of this tree), e.g. an older build
# for a before/after comparison in one run.
if [ -n "${PULSE_BIN:-}" ]; then
    pulse=$PULSE_BIN
else
    swift build -c release --product pulse >/dev/null
    pulse="$(swift build -c release --show-bin-path)/pulse"
fi

# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# The resident set split: anonymous (heap, stacks) and file-backed (the binary, shared libraries, mmap'd database).
rss_split() { awk '/^RssAnon/ {a = $2} /^RssFile/ {f = $2} /^RssShmem/ {s = $2} END {printf "anonymous %.1f MB, file-backed %.1f MB", a / 1024, (f + s) / 1024}' "/proc/$1/status"; }
# User plus system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
# The median of column $1 of the lines on stdin, with the lowest and highest, as ratios ("1.63x (from 1.56x to 1.70x)").
median_range() {
    sort -k"$1" -n | awk -v k="$1" '{v[NR] = $k} END {
        if (NR == 0) exit
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2fx (from %.2fx to %.2fx)", m, v[1], v[NR] }'
}

echo "pulse ${PULSE_BIN:-$(git rev-parse --short HEAD 2>/dev/null || echo '?')}, $(nproc) cores, wrk -t2, ${duration} per run, log level ${log_level}"
printf '\n%-7s %-7s %11s %7s %9s %9s %11s %7s %11s %7s\n' agents reports requests/s vs_GET p50_ms p99_ms rss_MB errors cpu_us/req vs_GET
for transport in $transports; do
for agents in $agent_counts; do
    work=$(mktemp -d)
    scheme=http
    tls_flags=()
    if [ "$transport" = tls ]; then
        scheme=https
        openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
            -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
        tls_flags=(--tls-cert-file "$work/cert.pem" --tls-key-file "$work/key.pem")
    fi
    url="$scheme://127.0.0.1"
    port=$(free_port)
    admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    (umask 077; echo "$admin" > "$work/admin-token")
    "$pulse" --data-dir "$work/data" --bind-address 127.0.0.1 --port "$port" \
        --api-tokens-file "$work/admin-token" --log-level "$log_level" "${tls_flags[@]}" \
        --max-connections-per-ip $((agents + 64)) > "$work/server.log" 2>&1 &
    server=$!
    trap 'kill -TERM $server 2>/dev/null || true; rm -rf "$work"' EXIT
    for _ in $(seq 1 100); do curl -kfs "$url:$port/api/health" >/dev/null && break; sleep 0.1; done
    echo "transport: $transport"

    PULSE_BENCH_TLS=$([ "$transport" = tls ] && echo 1 || echo 0) python3 bench/make_payloads.py 127.0.0.1 "$port" "$admin" "$agents" "$work/agents.lua" >&2
    if [ -z "${decode_done:-}" ]; then
        # Decoding alone, on one core, for the same bodies: the part of a report's cost that is ours.
        "$pulse" bench-decode --host "$work/agents.lua.host.json" --docker "$work/agents.lua.docker.json" | sed 's/^/        /'
        decode_done=1
    fi
    # Every agent reports at low concurrency: RSS holding N hosts, then N hosts and N Docker hosts.
    printf '%-7s %-7s %11s %7s %9s %9s %11s %7s\n' 0 "idle" "-" "-" "-" "-" "$(rss_mb $server)" "-"
    for mix in host docker; do
        PULSE_BENCH_MIX=$mix PULSE_BENCH_DATA="$work/agents.lua" wrk -t2 -c2 -d"$((agents / 400 + 2))s" \
            -s bench/reports.lua "$url:$port" >/dev/null
        printf '%-7s %-7s %11s %7s %9s %9s %11s %7s\n' "$agents" "+$mix" "-" "-" "-" "-" "$(rss_mb $server)" "-"
    done
    # The same state from 15 s later: the metrics sampler, the alert pass and the heap trim have run.
    # The resident set moves with where those passes are (a sampling round every 10 s, a trim every
    # 10 s), so "steady" is the median of ten readings a second apart, with their range.
    sleep 15
    readings=()
    for _ in $(seq 1 10); do readings+=("$(rss_mb $server)"); sleep 1; done
    steady=$(printf '%s\n' "${readings[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", (v[5] + v[6]) / 2}')
    printf '%-7s %-7s %11s %7s %9s %9s %11s %7s\n' "$agents" "steady" "-" "-" "-" "-" "$steady" "-"
    echo "        steady RSS: median of 10 readings $steady MB (from $(printf '%s\n' "${readings[@]}" | sort -n | head -1) to $(printf '%s\n' "${readings[@]}" | sort -n | tail -1)); at the last: $(rss_split $server)"

    : > "$work/ratios"
    for round in $(seq 1 "$rounds"); do
        [ "$rounds" -gt 1 ] && echo "        round $round of $rounds"
        baseline=
        cpu_baseline=
        for mix in $mixes; do
            profiler=
            if [ -n "${BENCH_PERF:-}" ]; then
                mkdir -p "$BENCH_PERF"
                perf record -F 999 -g -p "$server" -o "$BENCH_PERF/$transport-$agents-$mix.data" >/dev/null 2>&1 &
                profiler=$!
            fi
            cpu_before=$(cpu_ticks "$server")
            result=$(PULSE_BENCH_MIX=$mix PULSE_BENCH_DATA="$work/agents.lua" wrk -t2 -c"$agents" -d"$duration" --timeout 10s \
                -s bench/reports.lua "$url:$port" | grep '^RESULT')
            cpu_used=$(( $(cpu_ticks "$server") - cpu_before ))
            if [ -n "$profiler" ]; then kill -INT "$profiler"; wait "$profiler" 2>/dev/null || true; fi
            eval "$(echo "$result" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/r_/')"
            rate=$(awk -v req="$r_requests" -v dur="$r_duration_us" 'BEGIN { printf "%.0f", req / (dur / 1e6) }')
            cpu_per_request=$(awk -v t="$cpu_used" -v hz="$ticks_per_second" -v n="$r_requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / (n > 0 ? n : 1) }')
            [ "$mix" = get ] && baseline=$rate && cpu_baseline=$cpu_per_request
            awk -v mix="$mix" -v rate="$rate" -v base="${baseline:-0}" -v cpu="$cpu_per_request" -v cpubase="${cpu_baseline:-0}" \
                'BEGIN { if (base > 0 && cpubase > 0) printf "%s %.4f %.4f\n", mix, rate / base, cpu / cpubase }' >> "$work/ratios"
            awk -v a="$agents" -v mix="$mix" -v rate="$rate" -v base="${baseline:-0}" -v p50="$r_p50_us" -v p99="$r_p99_us" \
                -v rss="$(rss_mb $server)" -v err="$((r_errors_status + r_errors_connect + r_errors_timeout))" \
                -v cpu="$cpu_per_request" -v cpubase="${cpu_baseline:-0}" \
                'BEGIN { printf "%-7s %-7s %11d %7s %9.2f %9.2f %11s %7d %11.1f %7s\n", a, mix, rate, (base > 0 ? sprintf("%.2fx", rate / base) : "-"), p50 / 1000, p99 / 1000, rss, err, cpu, (cpubase > 0 ? sprintf("%.2fx", cpu / cpubase) : "-") }'
        done
    done
    if [ "$rounds" -gt 1 ]; then
        for mix in $mixes; do
            count=$(grep -c "^$mix " "$work/ratios" || true)
            [ "$mix" = get ] || [ "$count" -eq 0 ] && continue
            cpu=$(grep "^$mix " "$work/ratios" | median_range 3)
            echo "        $mix: median ratio to GET over $count rounds $(grep "^$mix " "$work/ratios" | median_range 2);" \
                "server CPU per request ${cpu%% *} GET's ${cpu#* }"
        done
    fi
    peak=$(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
    sleep 25
    printf '%-7s %-7s %11s %9s %9s %11s %7s\n' "$agents" "after" "-" "-" "-" "$(rss_mb $server)" "-"
    counts=$(curl -kfs -H "X-API-Token: $admin" "$url:$port/api/state" |
        python3 -c 'import json,sys; s=json.load(sys.stdin); print(len(s["hosts"]), "hosts,", len(s["dockerHosts"]), "Docker hosts")')
    echo "        peak RSS ${peak} MB; state after the runs: ${counts} (expected ${agents} each)"
    echo "        targets (issue 24): docker and moving >= 0.80x, mixed >= 0.85x, host >= 0.95x of GET; p99 < 250 ms;"
    echo "        with 1000 agents: steady RSS <= 100 MB, peak <= 200 MB"

    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    rm -rf "$work"
    trap - EXIT
done
done

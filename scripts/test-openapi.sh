#!/usr/bin/env bash
# Fuzzes a live `pulse` against its own OpenAPI document with schemathesis (PyPI): every
# operation gets generated requests, and the run fails on any 5xx, any status the document does
# not list, and any response body or content type that does not match its schema.
#
#   scripts/test-openapi.sh [BIN_DIR]      (BIN_DIR: where the built `pulse` is; swift's bin path by default)
#
# SCHEMATHESIS_MAX_EXAMPLES (default 8) bounds the generated requests per operation and phase;
# SCHEMATHESIS_MAX_TIME (seconds, unset by default) is a budget the fuzzing phase keeps repeating
# to fill. `make test` keeps to the defaults (2 to 3 minutes); a longer fuzzing run raises them.
#
# The server and schemathesis run in a network namespace of their own with only loopback:
# fuzzed settings name arbitrary hosts (Proxmox nodes, webhooks, SMTP servers, the
# auto-registration callback), and whatever the server then tries to reach must not leave
# this machine. Without a way to make one (neither root nor user namespaces) the run is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${PULSE_OPENAPI_NETNS:-}" ]; then
    bin_dir=${1:-$(swift build --show-bin-path)}
    python=$(scripts/schemathesis-venv.sh)
    fakepve_python=$(scripts/fakepve-venv.sh)
    for isolate in "unshare --net" "unshare --user --map-root-user --net"; do
        if $isolate true 2>/dev/null; then
            exec $isolate env PULSE_OPENAPI_NETNS=1 SCHEMATHESIS_PYTHON="$python" FAKEPVE_PYTHON="$fakepve_python" \
                "$PWD/scripts/test-openapi.sh" "$bin_dir"
        fi
    done
    echo "openapi: skipped: no network namespace could be made (needs root or user namespaces)"
    exit 0
fi

bin_dir=$1
schemathesis=$(dirname "$SCHEMATHESIS_PYTHON")/schemathesis
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-8}
ip link set lo up

work=$(mktemp -d)
server=
peers=()
logs=$PWD/.build/openapi
cleanup() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    for peer in "${peers[@]}"; do kill "$peer" 2>/dev/null || true; wait "$peer" 2>/dev/null || true; done
    mkdir -p "$logs" && cp "$work"/*.log "$work"/junit.xml "$logs"/ 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The Proxmox peers of the Swift tests (fakepve, and the PBS and PMG fixture servers), so the state
# the fuzzing checks holds nodes, guests, storage, Ceph, backups, PBS and PMG, not only agents.
# Each prints its connection details as one JSON line and runs until its stdin closes.
start_peer() {  # NAME SCRIPT ARGUMENTS...
    local name=$1 script=$2 held
    shift 2
    mkdir -p "$work/$name"
    mkfifo "$work/$name.in"
    "$FAKEPVE_PYTHON" "Tests/PulseServerTests/Fixtures/tools/$script" "$work/$name" "$@" \
        < "$work/$name.in" > "$work/$name.json" 2> "$work/$name.log" &
    peers+=($!)
    exec {held}> "$work/$name.in"
}
start_peer pve pve-peer.py --nodes 2 --guests 6 --ceph --backups
start_peer pbs-pmg pbs-pmg-fixture.py
for name in pve pbs-pmg; do
    for _ in $(seq 1 300); do [ -s "$work/$name.json" ] && break; sleep 0.1; done
    [ -s "$work/$name.json" ] || { cat "$work/$name.log"; echo "openapi: the $name peer did not start"; exit 1; }
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The admin token travels in files and the environment only, never in argv.
export PULSE_OPENAPI_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
(umask 077; echo "$PULSE_OPENAPI_TOKEN" > "$work/admin-token")
mkdir -p "$work/bin"
# One agent "build" so the downloads answer 200 as well as 400/404.
printf '\177ELF fixture agent build\n' > "$work/bin/pulse-agent-linux-amd64"
# Remote write to a port nothing listens on: /api/diagnostics then carries its figures (with an
# error and a growing queue) for the schema check, and /metrics its counters.
"$bin_dir/pulse" --data-dir "$work/data" --bind-address 127.0.0.1 --port "$port" --bin-dir "$work/bin" \
    --api-tokens-file "$work/admin-token" --pve-polling-interval 5 --log-level warning \
    --trusted-proxy-cidrs 127.0.0.1/32 --remote-write-url "http://127.0.0.1:9/api/v1/write" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/api/health', timeout=1)" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; echo "openapi: the server did not start"; exit 1; }
    sleep 0.1
done

python3 scripts/openapi-fixtures.py "http://127.0.0.1:$port" "$work/schemathesis.toml" "$work/pve.json" "$work/pbs-pmg.json"

# Not fuzzed, each for a reason:
# - GET /ws is a WebSocket upgrade; schemathesis speaks plain HTTP (LiveFeedTests covers it).
# - GET /api/logs/stream never ends by itself (LogRoutesTests reads it).
# - GET /api/updates/stream is, to a client accepting text/event-stream, a stream that stays
#   open, and schemathesis waits for a body's end (UpdateRoutesTests reads both of its answers).
# - GET /api/ai/patrol/stream likewise (PatrolStreamTests reads both of its answers).
excluded=(--exclude-path /ws --exclude-path /api/logs/stream --exclude-path /api/updates/stream --exclude-path /api/ai/patrol/stream)

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
status=0
# From the scratch folder: schemathesis keeps state in ./.schemathesis.
# scripts/openapi_hooks.py: each request names a client of its own (X-Forwarded-For, trusted from
# 127.0.0.1 above), so the per-client rate limits leave the generated cases to the handlers.
(cd "$work" && PYTHONPATH="$OLDPWD/scripts" SCHEMATHESIS_HOOKS=openapi_hooks "$schemathesis" --config-file "$work/schemathesis.toml" --no-color run "http://127.0.0.1:$port/api/openapi.json" \
    --checks "$checks" --max-examples "$max_examples" ${SCHEMATHESIS_MAX_TIME:+--max-time "$SCHEMATHESIS_MAX_TIME"} \
    --phases examples,coverage,fuzzing --workers 1 --request-timeout 20 \
    --generation-with-security-parameters false --generation-database none --suppress-health-check all \
    --report junit --report-junit-path "$work/junit.xml" "${excluded[@]}" > "$work/schemathesis.log" 2>&1) || status=$?
cat "$work/schemathesis.log"

# The background passes (alert evaluation and metrics sampling, every 10 s) run once more over
# what the fuzzing stored: a crash there happens after the request that caused it was answered.
sleep 12
if ! python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/api/health', timeout=5)" 2>/dev/null; then
    kill -0 "$server" 2>/dev/null && { echo "openapi: the server stopped answering /api/health after the fuzzing"; status=1; }
fi
if ! kill -0 "$server" 2>/dev/null; then
    echo "---- the server died (full log in $logs/server.log) ----"
    grep -m1 -A40 -E 'Fatal error|runtime failure|crashed:' "$work/server.log" | grep -vE '^(r[a-z0-9]+|cs|fs|gs|rflags) ' || tail -n 40 "$work/server.log"
    status=1
fi
summary=$(python3 - "$work/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("0 0 0"); sys.exit()
cases = root.iter("testcase")
passed = failed = skipped = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None: failed += 1
    elif case.find("skipped") is not None: skipped += 1
    else: passed += 1
print(passed, failed, skipped)
PY
)
read -r passed failed skipped <<< "$summary"
[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && [ "$status" -eq 0 ] && { echo "openapi: no operation was tested"; status=1; }
echo "openapi: $passed passed, $failed failed, $skipped skipped"
exit "$status"

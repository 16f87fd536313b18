#!/usr/bin/env bash
# `make run`: starts the freshly built server on this machine with its data in ./.pulse-data,
# mints an admin API token, creates the dashboard's admin login (password generated once, kept in
# the data folder), and prints where to go. Ctrl-C stops everything.
set -euo pipefail

bin_dir=$1
data_dir=${PULSE_DATA_DIR:-$PWD/.pulse-data}
port=${FRONTEND_PORT:-7655}
bind=${BIND_ADDRESS:-127.0.0.1}
url="http://${bind}:${port}"
[ "$bind" = "0.0.0.0" ] && url="http://127.0.0.1:${port}"

mkdir -p "$data_dir"
chmod 700 "$data_dir"
# One admin token named "make run": each run replaces the previous one.
token=$("$bin_dir/pulse" token create --data-dir "$data_dir" --name "make run" --replace)

# The dashboard login: user admin, a random password made on the first run.
if [ ! -s "$data_dir/admin-password" ]; then
    (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(18))' > "$data_dir/admin-password")
fi

# A local agent reports this machine (and its Docker/Podman containers, when there is a socket)
# with a token that may only report. The token is kept across runs: a host belongs to the token
# that enrolled it, so a new token each run would find this machine enrolled by the old one.
if [ ! -s "$data_dir/agent-token" ] || ! "$bin_dir/pulse" token list --data-dir "$data_dir" | grep -q ' make run agent$'; then
    (umask 077; "$bin_dir/pulse" token create --data-dir "$data_dir" --name "make run agent" --replace \
        --scope host-agent:report --scope docker:report > "$data_dir/agent-token")
fi

# Agent builds for installers come from ./dist (`make dist` puts the release agent there).
agent_builds=${PULSE_BIN_DIR:-$PWD/dist}
"$bin_dir/pulse" --data-dir "$data_dir" --bind-address "$bind" --port "$port" --bin-dir "$agent_builds" \
    --auth-user admin --auth-pass-file "$data_dir/admin-password" &
server=$!
# Ctrl-C or SIGTERM: ask the server to shut down gracefully (it flushes its data), then leave.
agent=""
stop() {
    trap - INT TERM
    [ -n "$agent" ] && kill -TERM "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    exit 0
}
trap stop INT TERM

for _ in $(seq 1 100); do
    if curl -fsS "$url/api/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "error: the server exited during start-up (see its messages above)" >&2
        exit 1
    fi
    sleep 0.1
done

# The key this server signs agent builds with, as the install command pins it on a host.
curl -fsS "$url/api/agent/signing-key" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pem"], end="")' \
    > "$data_dir/agent-update-key.pem"
"$bin_dir/pulse-agent" --url "$url" --token-file "$data_dir/agent-token" --interval 10s \
    --update-key-file "$data_dir/agent-update-key.pem" --buffer-dir "$data_dir/agent-buffer" --log-level warning &
agent=$!

cat <<BANNER

  Pulse is running at $url
  Dashboard login:   admin / $(cat "$data_dir/admin-password")
  Admin API token:   $token

  Try:  curl -s $url/api/health
        curl -s -H "X-API-Token: $token" $url/api/state

  A local pulse-agent reports this machine every 10 s (see "hosts" in /api/state).
  Agent installer: $url/install.sh, serving builds from $agent_builds
BANNER
if ! ls "$agent_builds"/pulse-agent-linux-* >/dev/null 2>&1; then
    echo "  (no agent build there yet: run \`make dist\` to serve one)"
fi
cat <<BANNER
  Data folder: $data_dir      Stop with Ctrl-C.

BANNER
wait "$server"

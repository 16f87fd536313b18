#!/usr/bin/env bash
# Fuzzes a live `pulse` (scripts/fuzz.py) inside a private network namespace: the server and the
# fuzzer see only their own loopback, so no fuzzed URL (webhooks, Proxmox hosts, SMTP servers)
# can send anything off this machine. FUZZ_CASES cases (make test: 5,000; make fuzz: 100,000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${PULSE_BIN:-$(swift build --show-bin-path)/pulse}
cases=${FUZZ_CASES:-5000}
[ -x "$bin" ] || { echo "fuzz: $bin is missing; build first" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
    exec unshare --net -- bash -c 'ip link set lo up 2>/dev/null || ifconfig lo up; exec python3 "$0" --pulse "$1" --cases "$2"' \
        scripts/fuzz.py "$bin" "$cases"
fi
echo "fuzz: not root, so no private network namespace; fuzzed URLs could leave this machine, not running" >&2
exit 1

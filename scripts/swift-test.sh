#!/usr/bin/env bash
# Runs the Swift tests (already built) and, when any fails, repeats at the very end what failed:
# each failing test's issue lines and the last lines of every log those lines point to (the peer
# scripts' logs). CI shows only the end of a long output; this puts the reason there.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log=.build/test-output.log
mkdir -p .build
"${SWIFT:-swift}" test --skip-build --disable-xctest "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && exit 0

echo
echo "==== failed tests (full output in $log) ===="
grep -F '✘' "$log" | grep -v -F '✘ Test run with' | cut -c1-600
for peer_log in $(grep -F '✘' "$log" | grep -o 'see /[^ ")]*\.log' | cut -c5- | sort -u); do
    echo "---- last lines of $peer_log ----"
    tail -n 25 "$peer_log" 2>/dev/null || echo "(not readable)"
done
exit "$status"

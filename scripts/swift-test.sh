#!/usr/bin/env bash
# Runs the Swift tests (already built) and, when any fails, repeats at the very end what failed:
# each failing test's issue lines and the last lines of every log those lines point to (the peer
# scripts' logs). CI shows only the end of a long output; this puts the reason there.
#
# A watchdog bounds the run (SWIFT_TEST_TIME_LIMIT seconds, 1,200 by default; the tests take about
# two minutes here): past it, it names the tests that started and never ended, writes every
# thread's stack of the test process (with gdb, when installed) and stops the run, so a hang fails
# with its place named instead of running into CI's own limit with nothing said.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log=.build/test-output.log
mkdir -p .build
limit=${SWIFT_TEST_TIME_LIMIT:-1200}

# Line-buffered, so what the log holds when the watchdog reads it is what was printed.
stdbuf -oL -eL "${SWIFT:-swift}" test --skip-build --disable-xctest "$@" > >(tee "$log") 2>&1 &
runner=$!

# Tests (not their single argument cases) with fewer end lines ("passed", "failed", or "with N
# test cases …" for a parameterised one) than start lines.
unfinished() {
    grep -o '◇ Test .* started\.' "$log" | grep -v -F -e '◇ Test run started.' -e '◇ Test case passing' |
        sed -e 's/^◇ Test //' -e 's/ started\.$//' | sort | uniq -c |
        while read -r count name; do
            ended=$(grep -c -F -e "Test $name passed" -e "Test $name failed" -e "Test $name with " "$log")
            [ "$ended" -lt "$count" ] && echo "  $name"
        done
}

watchdog() {
    local waited=0
    while [ "$waited" -lt "$limit" ]; do
        sleep 5
        waited=$((waited + 5))
        kill -0 "$runner" 2>/dev/null || return 0
    done
    echo
    echo "==== the Swift tests ran past ${limit} s (SWIFT_TEST_TIME_LIMIT): stopped ===="
    echo "tests that started and never ended:"
    unfinished
    for pid in $(pgrep -f -i 'pulsePackageTests.xctest' || true); do
        if command -v gdb >/dev/null; then
            echo "---- threads of test process $pid ----"
            timeout 120 gdb -p "$pid" -batch -ex 'thread apply all bt 25' 2>/dev/null |
                grep -E '^(Thread|#)' | cut -c1-300 | head -n 1500
        fi
    done
    pkill -KILL -f -i 'pulsePackageTests.xctest' || true
    kill -KILL "$runner" 2>/dev/null || true
}

watchdog &
watcher=$!
wait "$runner"
status=$?
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
[ "$status" -eq 0 ] && exit 0

echo
echo "==== failed tests (full output in $log) ===="
grep -F '✘' "$log" | grep -v -F '✘ Test run with' | cut -c1-1500
for peer_log in $(grep -F '✘' "$log" | grep -o 'see /[^ ")]*\.log' | cut -c5- | sort -u); do
    echo "---- last lines of $peer_log ----"
    tail -n 25 "$peer_log" 2>/dev/null || echo "(not readable)"
done
exit "$status"

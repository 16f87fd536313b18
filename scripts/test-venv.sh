#!/usr/bin/env bash
# A Python venv from PyPI for a test peer, under .build/test-data/NAME-venv; prints its python.
#   scripts/test-venv.sh NAME IMPORTS PACKAGE...
# IMPORTS is a comma-separated module list that proves the venv complete. Safe to run from
# several tests at once (flock).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name=$1 imports=$2
shift 2
venv=$PWD/.build/test-data/$name-venv
mkdir -p .build/test-data
exec 9>".build/test-data/$name-venv.lock"
flock 9
if ! "$venv/bin/python" -c "import $imports" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "$@" >&2
fi
echo "$venv/bin/python"

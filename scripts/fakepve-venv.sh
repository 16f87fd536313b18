#!/usr/bin/env bash
# The Proxmox VE peer for the polling tests: fakepve (PyPI) in a venv under .build/test-data.
# Prints the venv's python. Safe to run from several tests at once (flock).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=$PWD/.build/test-data/fakepve-venv
mkdir -p .build/test-data
exec 9>.build/test-data/fakepve-venv.lock
flock 9
if ! "$venv/bin/python" -c 'import fakepve, cryptography' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'fakepve[crypto]==0.5.0' >&2
fi
echo "$venv/bin/python"

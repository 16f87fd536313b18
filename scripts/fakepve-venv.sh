#!/usr/bin/env bash
# The Proxmox VE peer for the polling tests: fakepve (PyPI) in a venv under .build/test-data.
exec "$(dirname "${BASH_SOURCE[0]}")/test-venv.sh" fakepve fakepve,cryptography 'fakepve[crypto]==0.5.0'

#!/usr/bin/env bash
# `make test`: the agent must link FoundationEssentials only. Full Foundation brings ICU with it
# and triples the static agent (61 MB instead of 20 MB); it has crept in twice, through a
# dependency (Yams) and through one unconditional `import Foundation` in a shared module.
set -euo pipefail
agent=${1:?usage: check-agent-links.sh BIN_DIR}/pulse-agent
needed=$(readelf -d "$agent" | awk '/NEEDED/ {gsub(/[\[\]]/, "", $5); print $5}')
bad=$(echo "$needed" | grep -E '^lib(Foundation|FoundationInternationalization|_FoundationICU)\.so' || true)
if [ -n "$bad" ]; then
    echo "FAIL: pulse-agent links $(echo $bad): a module it uses imports Foundation instead of FoundationEssentials" >&2
    echo "      (write '#if canImport(FoundationEssentials) import FoundationEssentials #else import Foundation #endif';" >&2
    echo "      objects left from an older incremental build can also carry the link: swift package clean, then make test)" >&2
    exit 1
fi
echo "pulse-agent links FoundationEssentials only"

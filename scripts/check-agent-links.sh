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
# Of FoundationEssentials the agent may use `Date` only: its JSON coders, string search, files and
# environment are its own. Any other symbol (a JSONEncoder, FileManager, `contains` on strings from
# _StringProcessing, ...) links most of Foundation and the regex engine into the static agent:
# 16.5 MB instead of about 10.
others=$(nm -D --undefined-only "$agent" | awk '{print $2}' \
    | grep -E '^\$s(20FoundationEssentials|17_StringProcessing|12_RegexParser|22_FoundationCollections)|17_StringProcessing|20FoundationEssentials' \
    | grep -vE '^\$s20FoundationEssentials4Date' || true)
if [ -n "$others" ]; then
    echo "FAIL: pulse-agent uses Foundation beyond Date (use AgentJSONEncoder/Decoder, containsText, ProcessEnvironment, AtomicFile):" >&2
    echo "$others" | head -20 | sed 's/^/      /' >&2
    exit 1
fi
echo "pulse-agent links FoundationEssentials only, and of it only Date"

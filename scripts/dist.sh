#!/usr/bin/env bash
# `make dist`: the release agent with the Swift runtime linked in statically, stripped, as
# dist/pulse-agent-linux-<arch> (the name the server's download endpoint will serve).
# On a target host it needs only libc and libcurl (libsensors is optional, loaded at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in
    x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; armv7l) arch=armv7 ;; armv6l) arch=armv6 ;; i?86) arch=386 ;; *) arch=$(uname -m) ;;
esac
# --no-export-dynamic: nothing loads the agent as a library, so its symbols need not be in the
# dynamic symbol table (0.6 MB that `strip` cannot remove).
flags=(-c release --static-swift-stdlib --scratch-path .build-dist -Xlinker --no-export-dynamic)
swift build "${flags[@]}" --product pulse-agent >/dev/null
mkdir -p dist
install -m 0755 "$(swift build "${flags[@]}" --show-bin-path)/pulse-agent" "dist/pulse-agent-linux-$arch"
strip "dist/pulse-agent-linux-$arch"
echo "dist/pulse-agent-linux-$arch: $(stat -c %s "dist/pulse-agent-linux-$arch") bytes; links: $(ldd "dist/pulse-agent-linux-$arch" | awk '{print $1}' | tr '\n' ' ')"

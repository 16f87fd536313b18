#!/usr/bin/env bash
# Test data that is public but not ours to commit: real `smartctl --json` outputs shipped in the
# pySMART 1.4.3 source distribution (LGPL). Fetched from PyPI into .build/test-data at test time;
# tests that need it are skipped, and say so, when it cannot be fetched.
set -u
target=.build/test-data
[ -d "$target/pysmart-1.4.3/tests/dataset" ] && exit 0
mkdir -p "$target"
if python3 -m pip download --quiet --no-deps --no-binary :all: pySMART==1.4.3 -d "$target" >/dev/null 2>&1; then
    tar -xzf "$target"/pysmart-1.4.3.tar.gz -C "$target" pysmart-1.4.3/tests/dataset && echo "test data: pySMART 1.4.3 dataset ready"
else
    echo "warning: could not fetch pySMART 1.4.3 from PyPI; SMART parsing tests on its data will be skipped" >&2
fi
exit 0

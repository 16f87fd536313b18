#!/usr/bin/env bash
# The OpenAPI fuzzer `make test` runs against a live server (scripts/test-openapi.sh):
# schemathesis (PyPI) in a venv.
exec "$(dirname "${BASH_SOURCE[0]}")/test-venv.sh" schemathesis schemathesis 'schemathesis==4.32.5'

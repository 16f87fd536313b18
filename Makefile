# The two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
SWIFT ?= swift
# Build-time libraries (at run time the server needs libcurl, libsqlite3, libjemalloc2, libsnappy1v5 and
# zlib; the agent libcurl and, optionally, libsensors).
DEB_PACKAGES := pkg-config libcurl4-openssl-dev libsqlite3-dev libsensors-dev libjemalloc-dev libsnappy-dev zlib1g-dev
# Real tools the tests talk to: smartctl, unshare/mount for the fake hwmon peer (and the fuzz run's
# and the OpenAPI fuzzing's private network namespaces, with ip from iproute2), prometheus (scrapes
# /metrics), chromium and its driver (the dashboard's browser test), kubectl (reads YAML kubeconfigs
# for the agent; Debian's kubernetes-client unless one is installed), nginx (the reverse proxy of
# the proxy sign-in test), docker-registry (the registry the image update checks ask), victoria-metrics
# (with prometheus, the remote write receivers and the engines history and charts are read from),
# python3-snappy and python3-protobuf (decode what the remote write encoder wrote, independently of
# it), gdb (the Swift tests' watchdog writes the stacks of a test process that hangs). (The podman
# peer and the installer test install what they need themselves.)
TEST_DEB_PACKAGES := smartmontools util-linux iproute2 prometheus chromium chromium-driver nginx-light docker-registry \
	victoria-metrics python3-snappy python3-protobuf gdb
BIN_DIR = $(shell $(SWIFT) build --show-bin-path)

.PHONY: deps build run lint test fuzz bench dist clean

deps:
	@scripts/install-deps.sh $(DEB_PACKAGES)

build: deps
	$(SWIFT) build --product pulse
	$(SWIFT) build --product pulse-agent

run: build
	@scripts/run-local.sh "$(BIN_DIR)"

# swift-format's strict lint against .swift-format (part of `make test`).
lint:
	@SWIFT=$(SWIFT) scripts/lint.sh

test: deps
	@SWIFT=$(SWIFT) scripts/lint.sh
	@scripts/install-deps.sh $(TEST_DEB_PACKAGES)
	@command -v kubectl >/dev/null || scripts/install-deps.sh kubernetes-client
	@scripts/fetch-test-data.sh
	@scripts/fakepve-venv.sh >/dev/null
	@scripts/selenium-venv.sh >/dev/null
	@scripts/aiosmtpd-venv.sh >/dev/null
	@scripts/oidc-provider-venv.sh >/dev/null
	@scripts/schemathesis-venv.sh >/dev/null
	$(SWIFT) build --build-tests
	@scripts/check-agent-links.sh "$(BIN_DIR)"
	@SWIFT=$(SWIFT) scripts/swift-test.sh
	@scripts/test-openapi.sh "$(BIN_DIR)"
	@scripts/test-installer.sh
	@FUZZ_CASES=5000 PULSE_BIN="$(BIN_DIR)/pulse" scripts/fuzz.sh
	@scripts/crash-restart.py --pulse "$(BIN_DIR)/pulse" --agent "$(BIN_DIR)/pulse-agent"

# The security campaign's long fuzz run: 100,000 structure-aware cases against a live server.
fuzz: deps
	$(SWIFT) build --product pulse
	@FUZZ_CASES=$${FUZZ_CASES:-100000} PULSE_BIN="$(BIN_DIR)/pulse" scripts/fuzz.sh

clean:
	rm -rf .build .build-dist dist

# Benchmarks print figures; they are not tests. BENCH_AGENTS="100 1000" BENCH_DURATION=15s by default;
# the demo-mode one measures /api/state and /ws at 500 nodes / 5,000 guests (BENCH_DEMO_*).
bench: deps
	@scripts/bench.sh
	@scripts/bench-agent.sh
	@scripts/bench-proxmox.sh
	@scripts/bench-metrics.sh
	@scripts/bench-alerts.sh
	@scripts/bench-demo.sh
	@scripts/bench-demo-enable.sh

# The release agent, static Swift runtime, stripped: dist/pulse-agent-linux-<arch>.
dist: deps
	@scripts/dist.sh

#!/usr/bin/env python3
"""Measures alert latency on arrival against a running `pulse`: how long after a host's first
over-threshold report its CPU alert is visible.

Usage: alert_latency.py HOST PORT ADMIN_TOKEN RUNS LABEL MEDIAN_FILE

Sets host CPU to trigger 90 / clear 80 with a 5 s delay for hosts, then per run: a fresh host
reports 10 % CPU once a second for a random part of BENCH_ALERT_PHASE seconds (default 10, the
old evaluation timer's period: a run starts right after the previous alert appeared, i.e. just
after a timer tick, and without the pause every run after the first would land on the same
phase of the timer), then 97 % once a second while /api/state is polled every 50 ms. Prints one
line per run and min/median/max; writes the median latency after the first report to
MEDIAN_FILE. Times are measured, never asserted; a run without an alert within
BENCH_ALERT_TIMEOUT seconds (default 60) is an error.
"""
import datetime
import http.client
import json
import os
import random
import secrets
import statistics
import sys
import time

host, port, admin_token, runs, label, median_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]

DELAY = 5
TRIGGER, CLEAR = 90, 80
CALM_CPU, HOT_CPU = 10.0, 97.0
REPORT_EVERY = 1.0
POLL_EVERY = 0.05
PHASE = float(os.environ.get("BENCH_ALERT_PHASE", "10"))
TIMEOUT = float(os.environ.get("BENCH_ALERT_TIMEOUT", "60"))
prefix = f"{label} " if label else ""


class Client:
    """One keep-alive connection with one token; reconnects once if the server closed it."""

    def __init__(self, token):
        self.token = token
        self.conn = http.client.HTTPConnection(host, port, timeout=10)

    def call(self, method, path, body=None):
        headers = {"X-API-Token": self.token}
        if body is not None:
            body = json.dumps(body, separators=(",", ":"))
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise
        if response.status != 200:
            sys.exit(f"{method} {path} failed: {response.status} {data[:300]!r}")
        return json.loads(data)


def configure(admin):
    """Host CPU 90/80 with a 5 s delay for hosts; the rest of the configuration as the server has it."""
    config = admin.call("GET", "/api/alerts/config")
    config["hostDefaults"]["cpu"] = {"trigger": TRIGGER, "clear": CLEAR}
    # `timeThresholds` is replaced whole by a POST, so the other kinds' delays are sent back as read.
    config["timeThresholds"]["host"] = DELAY
    # A per-metric delay for hosts would take precedence over `timeThresholds.host`.
    config.get("metricTimeThresholds", {}).pop("host", None)
    saved = admin.call("PUT", "/api/alerts/config", config)
    if saved["hostDefaults"]["cpu"]["trigger"] != TRIGGER or saved["timeThresholds"].get("host") != DELAY:
        sys.exit(f"the alert configuration was not taken: {json.dumps(saved)[:300]}")


def host_report(name, machine_id, sequence, cpu):
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "agent": {"id": f"{name}-agent", "version": "5.1.36", "type": "unified", "intervalSeconds": 30, "hostname": name},
        "host": {"id": name, "hostname": name, "machineId": machine_id, "platform": "linux", "osName": "Debian GNU/Linux",
                 "osVersion": "12 (bookworm)", "kernelVersion": "6.1.0-18-amd64", "architecture": "amd64", "cpuCount": 4,
                 "uptimeSeconds": 86400},
        "metrics": {"cpuUsagePercent": cpu, "memory": {"totalBytes": 8_000_000_000, "usedBytes": 3_200_000_000, "usage": 40.0}},
        "sensors": {},
        "timestamp": now,
        "sequenceId": str(sequence),
    }


def cpu_alert_visible(admin, host_id):
    # /api/state rather than /api/alerts/active: the state is exempt from the per-address rate
    # limit (500 requests a minute), which 20 polls a second would exhaust within a run.
    alerts = admin.call("GET", "/api/state").get("activeAlerts") or []
    return any(alert.get("type") == "cpu" and alert.get("resourceId") == f"host:{host_id}" for alert in alerts)


def measure(admin, run):
    """Seconds from sending the first 97 % report to the reply that shows the alert."""
    token = admin.call("POST", "/api/security/tokens", {"name": f"bench alerts {label} {run}".strip(), "scopes": ["host-agent:report"]})["token"]
    agent = Client(token)
    name = f"bench-alert-{secrets.token_hex(4)}"
    machine_id = secrets.token_hex(16)
    sequence = 0

    def report(cpu):
        nonlocal sequence
        sequence += 1
        return agent.call("POST", "/api/agents/host/report", host_report(name, machine_id, sequence, cpu))["hostId"]

    host_id = report(CALM_CPU)
    calm_until = time.monotonic() + random.uniform(0, PHASE)
    next_report = time.monotonic() + REPORT_EVERY
    while next_report < calm_until:
        time.sleep(max(0.0, next_report - time.monotonic()))
        report(CALM_CPU)
        next_report += REPORT_EVERY
    time.sleep(max(0.0, calm_until - time.monotonic()))

    first = time.monotonic()
    report(HOT_CPU)
    next_report = first + REPORT_EVERY
    next_poll = time.monotonic()
    while True:
        now = time.monotonic()
        if now - first > TIMEOUT:
            sys.exit(f"{prefix}run {run}: no CPU alert for host {host_id} within {TIMEOUT:.0f} s of the first report")
        if now >= next_report:
            report(HOT_CPU)
            next_report += REPORT_EVERY
        if now >= next_poll:
            next_poll = now + POLL_EVERY
            if cpu_alert_visible(admin, host_id):
                return time.monotonic() - first
        time.sleep(max(0.0, min(next_report, next_poll) - time.monotonic()))


def line(first, after_delay):
    return f"{first} s after the first report, {after_delay} s after the delay passed"


admin = Client(admin_token)
configure(admin)
latencies = []
for run in range(1, runs + 1):
    latency = measure(admin, run)
    latencies.append(latency)
    print(f"{prefix}run {run}/{runs}: alert latency ({DELAY} s delay): {line(f'{latency:.2f}', f'{latency - DELAY:.2f}')}", flush=True)

low, median, high = min(latencies), statistics.median(latencies), max(latencies)
print(f"{prefix}alert latency ({DELAY} s delay), {runs} runs, min/median/max: "
      + line(f"{low:.2f}/{median:.2f}/{high:.2f}", f"{low - DELAY:.2f}/{median - DELAY:.2f}/{high - DELAY:.2f}"), flush=True)
with open(median_path, "w") as out:
    out.write(f"{median!r}\n")

#!/usr/bin/env python3
"""Restart under load (security campaign, issue 19): `kill -9` of `pulse` while 200 agents report.

197 simulated agents (keep-alive HTTP clients, one host each) and 3 real `pulse-agent` processes
report every second. The server is killed with SIGKILL mid-load and started again on the same
data folder. Checks:
- the database opens (the server answers /api/health again);
- every host whose first report was acknowledged more than one flush interval before the kill is
  in /api/state after the restart, before any agent reports again;
- each real agent replays the reports it buffered while the server was down (its log says so and
  the server sees it report again).
Prints 'N passed, N failed'; exits 1 on any failure.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SIMULATED = 197
REAL = 3
FLUSH_INTERVAL = 5.0  # the server's default persistence flush interval


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def start_server(binary, data, port, token_file, log):
    return subprocess.Popen(
        [binary, "--data-dir", data, "--bind-address", "127.0.0.1", "--port", str(port),
         "--api-tokens-file", token_file, "--log-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def request(port, method, path, token, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers={"X-API-Token": token, "Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def host_report(index, sequence):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return json.dumps({
        "agent": {"id": f"sim-agent-{index}", "version": "5.1.36", "type": "unified", "intervalSeconds": 1},
        "host": {"hostname": f"sim-{index}", "machineId": f"sim-machine-{index}", "platform": "linux",
                 "osName": "Debian GNU/Linux", "osVersion": "12", "cpuCount": 2, "uptimeSeconds": 100},
        "metrics": {"cpuUsagePercent": 5.0, "memory": {"totalBytes": 1000, "usedBytes": 500, "freeBytes": 500}},
        "timestamp": now, "sequenceId": f"{index}-{sequence}",
    }).encode()


class SimulatedAgents:
    """Agents reporting from a few threads; remembers when each was first acknowledged."""

    def __init__(self, port, tokens):
        self.port = port
        # Reports are rate limited per token (6,000/min): 50 agents a token stay well inside it.
        self.tokens = tokens
        self.first_ack = {}
        self.running = threading.Event()
        self.stopped = threading.Event()
        self.lock = threading.Lock()

    def worker(self, indices):
        connection = None
        sequence = 0
        while not self.stopped.is_set():
            if not self.running.is_set():
                time.sleep(0.05)
                continue
            started = time.monotonic()
            sequence += 1
            for index in indices:
                if self.stopped.is_set() or not self.running.is_set():
                    break
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                    connection.request("POST", "/api/agents/host/report", body=host_report(index, sequence),
                                       headers={"X-API-Token": self.tokens[index % len(self.tokens)], "Content-Type": "application/json"})
                    response = connection.getresponse()
                    response.read()
                    if response.status == 200:
                        with self.lock:
                            self.first_ack.setdefault(index, time.monotonic())
                except (OSError, http.client.HTTPException):
                    if connection is not None:
                        connection.close()
                    connection = None
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pulse", required=True)
    parser.add_argument("--agent", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="pulse-crash-")
    data = os.path.join(work, "data")
    admin = os.urandom(32).hex()
    token_file = os.path.join(work, "admin-token")
    with open(token_file, "w") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(admin)
    port = free_port()
    log = open(os.path.join(work, "server.log"), "a")
    server = start_server(args.pulse, data, port, token_file, log)
    failures = []
    agents = []
    try:
        if not wait_healthy(port):
            failures.append("the server did not start")
            raise SystemExit
        status, body = request(port, "POST", "/api/security/tokens", admin,
                               json.dumps({"name": "fleet", "scopes": ["host-agent:report"]}).encode())
        fleet = json.loads(body)["token"]
        fleet_file = os.path.join(work, "fleet-token")
        with open(fleet_file, "w") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(fleet)

        for index in range(REAL):
            agent_log = open(os.path.join(work, f"agent-{index}.log"), "w")
            agents.append((subprocess.Popen(
                [args.agent, "--url", f"http://127.0.0.1:{port}", "--token-file", fleet_file, "--interval", "1s",
                 "--hostname", f"real-{index}", "--agent-id", f"real-agent-{index}", "--health-addr", "off",
                 "--disable-auto-update", "--disable-ceph", "--buffer-dir", os.path.join(work, f"buffer-{index}"),
                 "--log-level", "info"],
                stdout=agent_log, stderr=subprocess.STDOUT), agent_log))

        tokens = []
        for _ in range(4):
            status, body = request(port, "POST", "/api/security/tokens", admin,
                                   json.dumps({"name": "simulated", "scopes": ["host-agent:report"]}).encode())
            tokens.append(json.loads(body)["token"])
        simulated = SimulatedAgents(port, tokens)
        groups = [list(range(start, SIMULATED, 8)) for start in range(8)]
        threads = [threading.Thread(target=simulated.worker, args=(group,), daemon=True) for group in groups]
        for thread in threads:
            thread.start()
        simulated.running.set()
        time.sleep(FLUSH_INTERVAL * 2 + 2)

        server.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        server.wait()
        simulated.running.clear()
        time.sleep(3)  # the real agents fail to report and buffer
        with simulated.lock:
            must_survive = {index for index, at in simulated.first_ack.items() if at < killed_at - FLUSH_INTERVAL}
            acknowledged = len(simulated.first_ack)

        server = start_server(args.pulse, data, port, token_file, log)
        if not wait_healthy(port):
            failures.append("the server did not come back on the killed server's data folder")
            raise SystemExit
        status, body = request(port, "GET", "/api/state", admin)
        hosts = {item.get("hostname") for item in json.loads(body).get("hosts", [])}
        lost = sorted(index for index in must_survive if f"sim-{index}" not in hosts)
        if len(must_survive) < SIMULATED * 0.9:
            failures.append(f"only {len(must_survive)} of {SIMULATED} simulated agents were acknowledged in time to count")
        if lost:
            failures.append(f"{len(lost)} hosts acknowledged over {FLUSH_INTERVAL:.0f} s before the kill were lost: {lost[:10]}")

        # The real agents replay what they buffered.
        deadline = time.monotonic() + 30
        replayed = set()
        while time.monotonic() < deadline and len(replayed) < REAL:
            for index in range(REAL):
                with open(os.path.join(work, f"agent-{index}.log")) as handle:
                    if "replayed buffered reports" in handle.read():
                        replayed.add(index)
            time.sleep(0.5)
        if len(replayed) < REAL:
            failures.append(f"only agents {sorted(replayed)} of {REAL} replayed their buffered reports")
        status, body = request(port, "GET", "/api/state", admin)
        real_hosts = {item.get("hostname") for item in json.loads(body).get("hosts", [])}
        missing_real = [f"real-{index}" for index in range(REAL) if f"real-{index}" not in real_hosts]
        if missing_real:
            failures.append(f"real agents missing after the restart: {missing_real}")
        simulated.stopped.set()
        print(f"crash-restart: {acknowledged} simulated hosts acknowledged, {len(must_survive)} before kill - {FLUSH_INTERVAL:.0f} s, "
              f"{len(must_survive) - len(lost)} of them present after restart; {len(replayed)}/{REAL} real agents replayed their buffers")
    except SystemExit:
        pass
    finally:
        for process, handle in agents:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            handle.close()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        if failures:
            print(f"logs kept in {work}")
        else:
            subprocess.run(["rm", "-rf", work])
    for failure in failures:
        print("FAIL", failure)
    print(f"crash-restart: {0 if failures else 1} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

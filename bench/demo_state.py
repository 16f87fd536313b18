#!/usr/bin/env python3
"""Measures what dashboards cost on a `pulse` in demo mode while the estate moves (demo readings
every 2 s, and BENCH_DEMO_HOSTS host agents reporting over HTTP, each every
BENCH_DEMO_REPORT_INTERVAL seconds, from this script):

- GET /api/state, plain and gzip (`Accept-Encoding: gzip`), beside GET /api/health (the ratio's
  baseline): p50/p95 over REQUESTS requests each, one at a time over one keep-alive connection;
  the body sizes;
- the size of a /ws message;
- the agent reports' latency (ingest p50/p99) over BENCH_DEMO_INGEST_SECONDS with no /ws client,
  then as long again with BENCH_DEMO_WS_CLIENTS clients reading every message that offer
  permessage-deflate as browsers do (the first message of one of them is inflated and parsed, so
  the figure is of a working feed), then as long again with as many clients that do not;
- the server's resident memory (VmRSS) before and with the /ws clients, and its peak (VmHWM).

    demo_state.py measure PORT PID REQUESTS EXPECTED_NODES EXPECTED_GUESTS OUT.json   (admin token in PULSE_BENCH_TOKEN)
    demo_state.py table LABEL=OUT.json [LABEL=OUT.json ...]

`measure` prints its figures and writes them to OUT.json; `table` prints the runs side by side,
each figure with its target. Figures only; nothing is asserted beyond the estate being there.
"""
import base64
import heapq
import http.client
import json
import os
import selectors
import socket
import sys
import threading
import time
import zlib


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def proc_status(pid, key):
    """A /proc/PID/status figure in MB (VmRSS, VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- agents reporting over HTTP

def host_report(index, sequence):
    """A unified agent's host report; CPU and counters move with `sequence`, so no report repeats."""
    return json.dumps({
        "agent": {"id": f"bench-agent-{index}", "version": "5.1.36", "type": "unified", "intervalSeconds": 10},
        "host": {"id": f"bench-host-{index}", "hostname": f"bench-{index}.lab.example", "machineId": f"{index:032x}",
                 "platform": "linux", "osName": "Debian GNU/Linux", "osVersion": "12", "kernelVersion": "6.1.0-18-amd64",
                 "architecture": "amd64", "cpuCount": 8, "uptimeSeconds": 86400 + sequence * 10, "loadAverage": [0.4, 0.3, 0.2]},
        "metrics": {"cpuUsagePercent": (index * 7 + sequence * 3) % 100,
                    "memory": {"totalBytes": 16_000_000_000, "usedBytes": 4_000_000_000 + sequence * 4096, "freeBytes": 12_000_000_000}},
        "disks": [{"device": "/dev/sda1", "mountpoint": "/", "type": "ext4", "totalBytes": 100_000_000_000,
                   "usedBytes": 40_000_000_000, "freeBytes": 60_000_000_000, "usage": 40.0}],
        "diskIO": [{"device": "sda", "readBytes": 1_000_000 + sequence * 8192, "writeBytes": 2_000_000 + sequence * 8192,
                    "readOps": 10 + sequence, "writeOps": 20 + sequence}],
        "network": [{"name": "eth0", "addresses": ["192.0.2.10/24"], "rxBytes": 5_000 + sequence * 1500, "txBytes": 5_000 + sequence * 900}],
        "sensors": {"temperatureCelsius": {"cpu_package": 40.0 + sequence % 10}},
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sequenceId": str(sequence),
    })


class Reporters:
    """`hosts` agents, each reporting every `interval` seconds (start times spread evenly), from
    `threads` threads (as many agents reporting at once) with a keep-alive connection each.
    Records (start, milliseconds, status)."""

    def __init__(self, port, tokens, hosts, interval, threads=64):
        self.port, self.tokens, self.hosts, self.interval = port, tokens, hosts, interval
        self.samples, self.starts = [], []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(k, threads), daemon=True) for k in range(threads)]

    def start(self):
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def run(self, k, stride):
        mine = list(range(k, self.hosts, stride))
        due = [(self.started + self.interval * i / self.hosts, i, 0) for i in mine]
        heapq.heapify(due)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stopping.is_set() and due:
            at, index, sequence = heapq.heappop(due)
            wait = at - time.monotonic()
            if wait > 0 and self.stopping.wait(wait):
                break
            body = host_report(index, sequence)
            headers = {"X-API-Token": self.tokens[index % len(self.tokens)], "Content-Type": "application/json"}
            began = time.monotonic()
            with self.lock:
                self.starts.append(began)
            try:
                connection.request("POST", "/api/agents/host/report", body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status = 0
            with self.lock:
                self.samples.append((began, (time.monotonic() - began) * 1000, status))
            heapq.heappush(due, (at + self.interval, index, sequence + 1))

    def window(self, start, end, patience=120):
        """The reports started in [start, end), once every one of them has been answered."""
        deadline = time.monotonic() + patience
        while True:
            with self.lock:
                started = sum(1 for began in self.starts if start <= began < end)
                done = [(ms, status) for began, ms, status in self.samples if start <= began < end]
            if len(done) >= started or time.monotonic() > deadline:
                return done
            time.sleep(0.2)


def mint_tokens(port, admin, count):
    """Report-only tokens, at most 100 hosts each (well under the per-token enrolment limit)."""
    tokens = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for index in range(count):
        body = json.dumps({"name": f"bench-demo-{index}", "scopes": ["host-agent:report"]})
        connection.request("POST", "/api/security/tokens", body, {"X-API-Token": admin, "Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            sys.exit(f"minting a token failed: {response.status} {data[:200]!r}")
        tokens.append(json.loads(data)["token"])
    return tokens


# ---------------------------------------------------------------- /ws clients

class WebSocketReaders:
    """`count` /ws clients on one thread, reading every message (and answering pings). Each
    connects from a loopback address of its own per 5 clients (the /ws rate limit is 5 a minute
    per address), `127.0.NET.x`. With `deflate` they offer permessage-deflate as Chrome does; the
    first client's first message is then inflated and parsed (`verified`): the others only count
    compressed bytes, as clients on other machines would inflate on their own CPUs."""

    def __init__(self, port, token, count, deflate, net):
        self.port, self.token = port, token
        self.selector = selectors.DefaultSelector()
        self.clients = []
        self.lock = threading.Lock()
        self.messages, self.bytes, self.largest, self.failed, self.compressed = 0, 0, 0, 0, 0
        self.negotiated, self.verified = 0, None
        offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" if deflate else ""
        for index in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=60, source_address=(f"127.0.{net}.{10 + index // 5}", 0))
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nX-API-Token: {token}\r\n{offer}\r\n").encode())
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(1)
                if not chunk:
                    break
                head += chunk
            if b" 101 " not in head.split(b"\r\n")[0]:
                self.failed += 1
                sock.close()
                continue
            if b"permessage-deflate" in head.lower():
                self.negotiated += 1
            sock.setblocking(False)
            client = {"sock": sock, "pending": bytearray(), "remaining": 0, "opcode": 0, "fin": True, "size": 0, "received": 0,
                      "control": bytearray(), "rsv1": False, "keep": index == 0, "message": bytearray()}
            self.clients.append(client)
            self.selector.register(sock, selectors.EVENT_READ, client)
        self.stopping = threading.Event()
        self.buffer = bytearray(1 << 20)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        view = memoryview(self.buffer)
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                client = key.data
                try:
                    count = client["sock"].recv_into(view)
                except BlockingIOError:
                    continue
                except OSError:
                    count = 0
                if count == 0:
                    self.selector.unregister(client["sock"])
                    client["sock"].close()
                    continue
                self.consume(client, view[:count])

    def consume(self, client, data):
        while len(data):
            if client["remaining"] > 0:
                take = min(client["remaining"], len(data))
                if client["opcode"] in (0x8, 0x9, 0xA):
                    client["control"] += data[:take]
                elif client["keep"]:
                    client["message"] += data[:take]
                client["remaining"] -= take
                client["size"] += take
                data = data[take:]
                if client["remaining"] == 0:
                    self.finish(client)
                continue
            client["pending"] += data
            data = memoryview(b"")
            pending = client["pending"]
            while client["remaining"] == 0 and len(pending) >= 2:
                length, offset = pending[1] & 0x7F, 2
                if length == 126:
                    if len(pending) < 4:
                        return
                    length, offset = int.from_bytes(pending[2:4], "big"), 4
                elif length == 127:
                    if len(pending) < 10:
                        return
                    length, offset = int.from_bytes(pending[2:10], "big"), 10
                opcode, fin = pending[0] & 0x0F, bool(pending[0] & 0x80)
                if opcode != 0:
                    client["opcode"] = opcode
                if opcode in (0x1, 0x2):
                    client["rsv1"] = bool(pending[0] & 0x40)
                client["fin"] = fin
                rest = bytes(pending[offset:])
                client["pending"] = bytearray()
                client["remaining"] = length
                if length == 0:
                    self.finish(client)
                self.consume(client, memoryview(rest))
                return

    def finish(self, client):
        if client["opcode"] == 0x9:  # ping: answer with a masked pong
            payload, mask = bytes(client["control"]), os.urandom(4)
            frame = bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            client["sock"].setblocking(True)
            client["sock"].sendall(frame)
            client["sock"].setblocking(False)
        elif client["opcode"] in (0x1, 0x2) and client["fin"]:
            with self.lock:
                self.messages += 1
                self.compressed += client["rsv1"]
                self.bytes += client["size"]
                self.largest = max(self.largest, client["size"])
            client["received"] += 1
            if client["keep"]:
                self.verified = self.readable(bytes(client["message"]), client["rsv1"])
                client["keep"], client["message"] = False, bytearray()
        if client["fin"] or client["opcode"] in (0x8, 0x9, 0xA):
            client["size"] = 0
            client["control"] = bytearray()

    @staticmethod
    def readable(payload, compressed):
        """Whether a message is the state feed's JSON, inflated first when it came compressed."""
        try:
            if compressed:
                payload = zlib.decompressobj(-15).decompress(payload + b"\x00\x00\xff\xff")
            return json.loads(payload).get("type") == "rawData"
        except (zlib.error, ValueError):
            return False

    def all_received(self):
        return all(client["received"] > 0 for client in self.clients)

    def totals(self):
        with self.lock:
            return self.messages, self.bytes, self.largest

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=10)
        for client in self.clients:
            try:
                client["sock"].close()
            except OSError:
                pass


# ---------------------------------------------------------------- measuring

def timed_gets(connection, path, count, headers):
    """Milliseconds per request, the last body's size and its Content-Encoding."""
    times, size, encoding = [], 0, None
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}: {body[:200]!r}")
        size, encoding = len(body), response.getheader("Content-Encoding")
    return times, size, encoding


def measure(port, pid, requests, nodes_wanted, guests_wanted, out_path):
    token = os.environ["PULSE_BENCH_TOKEN"]
    hosts = int(os.environ.get("BENCH_DEMO_HOSTS", "1000"))
    interval = float(os.environ.get("BENCH_DEMO_REPORT_INTERVAL", "10"))
    ingest_seconds = float(os.environ.get("BENCH_DEMO_INGEST_SECONDS", "20"))
    ws_clients = int(os.environ.get("BENCH_DEMO_WS_CLIENTS", "100"))
    plain = {"X-API-Token": token, "Accept": "application/json"}
    gzipped = dict(plain, **{"Accept-Encoding": "gzip"})
    figures = {}

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    deadline = time.time() + 600
    while True:
        connection.request("GET", "/api/state", headers=plain)
        state = json.loads(connection.getresponse().read())
        nodes, guests = len(state["nodes"]), len(state["vms"]) + len(state["containers"])
        if nodes >= nodes_wanted and guests >= guests_wanted:
            break
        if time.time() > deadline:
            sys.exit(f"the estate did not appear: {nodes} nodes, {guests} guests")
        time.sleep(1)

    reporters = Reporters(port, mint_tokens(port, token, max(1, (hosts + 99) // 100)), hosts, interval)
    reporters.start()
    # Every agent host in the state (one whole interval at least) before anything is timed.
    time.sleep(interval + 1)
    waited = time.monotonic()
    while True:
        connection.request("GET", "/api/state", headers=plain)
        state = json.loads(connection.getresponse().read())
        if len(state["hosts"]) >= hosts or time.monotonic() - waited > 3 * interval:
            break
        time.sleep(1)
    print(f"estate: {len(state['nodes'])} nodes, {len(state['vms']) + len(state['containers'])} guests, "
          f"{len(state['storage'])} storage, {len(state['hosts'])} agent hosts ({hosts} reporting over HTTP every {interval:g} s), "
          f"{len(state['dockerHosts'])} Docker hosts, {len(state['kubernetesClusters'])} Kubernetes clusters, "
          f"{len(state['activeAlerts'])} active alerts")
    figures["hosts"] = len(state["hosts"])

    timed_gets(connection, "/api/health", 5, plain)
    timed_gets(connection, "/api/state", 3, plain)
    timed_gets(connection, "/api/state", 3, gzipped)
    health, _, _ = timed_gets(connection, "/api/health", requests, plain)
    full, size, _ = timed_gets(connection, "/api/state", requests, plain)
    packed, packed_size, encoding = timed_gets(connection, "/api/state", requests, gzipped)
    connection.close()
    figures.update({
        "health_p50": percentile(health, .5), "health_p95": percentile(health, .95),
        "state_p50": percentile(full, .5), "state_p95": percentile(full, .95), "state_max": max(full),
        "gzip_p50": percentile(packed, .5), "gzip_p95": percentile(packed, .95), "gzip_max": max(packed),
        "state_bytes": size, "gzip_bytes": packed_size if encoding == "gzip" else None,
    })
    print(f"{'GET':<22} {'requests':>8} {'p50_ms':>9} {'p95_ms':>9} {'max_ms':>9} {'bytes':>11}")
    for name, times, body in [("/api/health", health, "-"), ("/api/state", full, size),
                              ("/api/state (gzip)", packed, packed_size if encoding == "gzip" else f"{packed_size} (not gzipped)")]:
        print(f"{name:<22} {len(times):>8} {percentile(times, .5):>9.2f} {percentile(times, .95):>9.2f} {max(times):>9.2f} {body:>11}")

    def ingest(label):
        start = time.monotonic()
        time.sleep(ingest_seconds)
        samples = reporters.window(start, time.monotonic())
        latencies = [ms for ms, status in samples if status == 200]
        failed = sum(1 for _, status in samples if status != 200)
        p50, p99 = percentile(latencies, .5), percentile(latencies, .99)
        print(f"ingest {label}: {len(latencies)} reports in {ingest_seconds:g} s, p50 {p50:.2f} ms, p99 {p99:.2f} ms"
              + (f", {failed} failed" if failed else ""))
        return p50, p99, failed

    figures["ingest_p50_0ws"], figures["ingest_p99_0ws"], figures["ingest_failed_0ws"] = ingest("with no /ws client")
    figures["rss_0ws"] = proc_status(pid, "VmRSS")

    def with_readers(label, deflate, net):
        """Ingest while `ws_clients` /ws clients read every message; their figures under `label`."""
        readers = WebSocketReaders(port, token, ws_clients, deflate, net)
        waited = time.monotonic()
        while not readers.all_received() and time.monotonic() - waited < 120:
            time.sleep(0.2)
        messages_before, bytes_before, _ = readers.totals()
        clients = len(readers.clients)
        figures[f"ingest_p50_{label}"], figures[f"ingest_p99_{label}"], figures[f"ingest_failed_{label}"] = ingest(
            f"with {clients} /ws clients" + (" offering permessage-deflate" if deflate else " not compressing"))
        messages, received, largest = readers.totals()
        figures[f"rss_{label}"] = proc_status(pid, "VmRSS")
        figures[f"{label}_clients"] = clients
        figures[f"{label}_refused"] = readers.failed
        figures[f"{label}_negotiated"] = readers.negotiated
        figures[f"{label}_message_bytes"] = largest
        figures[f"{label}_messages_per_client_s"] = (messages - messages_before) / max(1, clients) / ingest_seconds
        figures[f"{label}_mb_s"] = (received - bytes_before) / ingest_seconds / 1e6
        figures[f"{label}_verified"] = readers.verified
        print(f"/ws ({label}): {clients} clients ({readers.failed} refused, {readers.negotiated} negotiated deflate, "
              f"{readers.compressed} of {messages} messages compressed, first message readable: {readers.verified}), "
              f"message {largest} bytes, {figures[f'{label}_messages_per_client_s']:.2f} messages per client per second, "
              f"{figures[f'{label}_mb_s']:.1f} MB/s in all")
        readers.close()

    with_readers("ws", True, 1)
    with_readers("wsplain", False, 2)
    figures["rss_peak"] = proc_status(pid, "VmHWM")
    reporters.stop()
    print(f"RSS {figures['rss_0ws']:.1f} MB with no /ws client, {figures['rss_ws']:.1f} MB with {figures['ws_clients']} "
          f"compressing, {figures['rss_wsplain']:.1f} MB with {figures['wsplain_clients']} not, peak {figures['rss_peak']:.1f} MB")
    with open(out_path, "w") as out:
        json.dump(figures, out)


# ---------------------------------------------------------------- the side-by-side table

ROWS = [
    # (label, key or function, format, target)
    ("/api/health p50 ms", "health_p50", "{:.2f}", ""),
    ("/api/health p95 ms", "health_p95", "{:.2f}", ""),
    ("/api/state p50 ms", "state_p50", "{:.2f}", ""),
    ("/api/state p95 ms", "state_p95", "{:.2f}", "<= 5"),
    ("/api/state p95 / health p95", lambda f: f["state_p95"] / f["health_p95"], "{:.1f}x", ""),
    ("/api/state gzip p50 ms", "gzip_p50", "{:.2f}", ""),
    ("/api/state gzip p95 ms", "gzip_p95", "{:.2f}", "<= 5"),
    ("/api/state gzip p95 / health p95", lambda f: f["gzip_p95"] / f["health_p95"], "{:.1f}x", ""),
    ("/api/state body bytes", "state_bytes", "{:,}", ""),
    ("/api/state gzip body bytes", "gzip_bytes", "{:,}", ""),
    ("/ws clients offering deflate", "ws_clients", "{}", "100"),
    ("  of them negotiated", "ws_negotiated", "{}", "100"),
    ("  first message inflates to the feed", "ws_verified", "{}", "True"),
    ("  message bytes (compressed)", "ws_message_bytes", "{:,}", ""),
    ("  messages per client per s", "ws_messages_per_client_s", "{:.2f}", "<= 1"),
    ("  MB/s written to them", "ws_mb_s", "{:.1f}", ""),
    ("/ws clients not compressing", "wsplain_clients", "{}", "100"),
    ("  message bytes", "wsplain_message_bytes", "{:,}", ""),
    ("  MB/s written to them", "wsplain_mb_s", "{:.1f}", ""),
    ("ingest p99 ms, 0 /ws clients", "ingest_p99_0ws", "{:.2f}", ""),
    ("ingest p99 ms, 100 deflate /ws clients", "ingest_p99_ws", "{:.2f}", ""),
    ("ingest p99 ratio (100 deflate / 0 /ws)", lambda f: f["ingest_p99_ws"] / f["ingest_p99_0ws"], "{:.2f}", "<= 1.20"),
    ("ingest p99 ms, 100 plain /ws clients", "ingest_p99_wsplain", "{:.2f}", ""),
    ("ingest p99 ratio (100 plain / 0 /ws)", lambda f: f["ingest_p99_wsplain"] / f["ingest_p99_0ws"], "{:.2f}", "<= 1.20"),
    ("ingest reports failed", lambda f: f["ingest_failed_0ws"] + f["ingest_failed_ws"] + f["ingest_failed_wsplain"], "{}", "0"),
    ("RSS MB, 0 /ws clients", "rss_0ws", "{:.1f}", "<= 150"),
    ("RSS MB, 100 deflate /ws clients", "rss_ws", "{:.1f}", "<= 150"),
    ("RSS MB, 100 plain /ws clients", "rss_wsplain", "{:.1f}", "<= 150"),
    ("RSS peak MB (VmHWM)", "rss_peak", "{:.1f}", ""),
]


def table(runs):
    loaded = []
    for run in runs:
        label, path = run.split("=", 1)
        with open(path) as source:
            loaded.append((label, json.load(source)))
    width = max(len(label) for label, _, _, _ in ROWS) + 2
    print(f"{'figure':<{width}} {'target':>9}" + "".join(f" {label:>14}" for label, _ in loaded))
    for label, key, form, target in ROWS:
        cells = []
        for _, figures in loaded:
            try:
                value = key(figures) if callable(key) else figures[key]
                cells.append("-" if value is None else form.format(value))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        print(f"{label:<{width}} {target:>9}" + "".join(f" {cell:>14}" for cell in cells))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "table":
        table(sys.argv[2:])
    elif len(sys.argv) == 8 and sys.argv[1] == "measure":
        measure(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7])
    else:
        sys.exit(__doc__)

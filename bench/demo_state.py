#!/usr/bin/env python3
"""Measures what a dashboard costs on a `pulse` in demo mode: the latency of GET /api/state beside
GET /api/health (the ratio's baseline), one request at a time over one keep-alive connection, and
the size of the /ws messages (the first, and a later one after the estate's next reading).

    demo_state.py PORT REQUESTS EXPECTED_NODES EXPECTED_GUESTS   (the admin token in PULSE_BENCH_TOKEN)

Prints figures only; nothing is asserted beyond the estate being there to measure.
"""
import base64
import http.client
import json
import os
import socket
import statistics
import sys
import time

port, requests, nodes_wanted, guests_wanted = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
token = os.environ["PULSE_BENCH_TOKEN"]
headers = {"X-API-Token": token, "Accept": "application/json"}


def timed_gets(connection, path, count):
    """Milliseconds per request and the last body's size."""
    times, size = [], 0
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}: {body[:200]!r}")
        size = len(body)
    return times, size


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
deadline = time.time() + 600
while True:
    connection.request("GET", "/api/state", headers=headers)
    state = json.loads(connection.getresponse().read())
    nodes, guests = len(state["nodes"]), len(state["vms"]) + len(state["containers"])
    if nodes >= nodes_wanted and guests >= guests_wanted:
        break
    if time.time() > deadline:
        sys.exit(f"the estate did not appear: {nodes} nodes, {guests} guests")
    time.sleep(1)
print(f"estate: {nodes} nodes, {guests} guests ({len(state['vms'])} VMs, {len(state['containers'])} containers), "
      f"{len(state['storage'])} storage, {len(state['hosts'])} hosts, {len(state['dockerHosts'])} Docker hosts, "
      f"{len(state['kubernetesClusters'])} Kubernetes clusters, {len(state['activeAlerts'])} active alerts")

timed_gets(connection, "/api/health", 5)
timed_gets(connection, "/api/state", 3)
health, _ = timed_gets(connection, "/api/health", requests)
full, size = timed_gets(connection, "/api/state", requests)
print(f"{'GET':<12} {'requests':>8} {'p50_ms':>9} {'p95_ms':>9} {'max_ms':>9} {'bytes':>11}")
for name, times, body in [("/api/health", health, "-"), ("/api/state", full, size)]:
    print(f"{name:<12} {len(times):>8} {percentile(times, .5):>9.2f} {percentile(times, .95):>9.2f} {max(times):>9.2f} {body:>11}")
print(f"/api/state p95 is {percentile(full, .95) / percentile(health, .95):.0f}× /api/health's")


def read_exact(sock, count):
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("the server closed the WebSocket")
        data += chunk
    return bytes(data)


def read_message(sock):
    """One whole message (text or binary, reassembled from its frames); answers pings."""
    parts = []
    while True:
        first, second = read_exact(sock, 2)
        opcode, final = first & 0x0F, first & 0x80
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(read_exact(sock, 2), "big")
        elif length == 127:
            length = int.from_bytes(read_exact(sock, 8), "big")
        payload = read_exact(sock, length)
        if opcode == 0x9:  # ping: answer with a masked pong
            mask = os.urandom(4)
            sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            continue
        if opcode == 0x8:
            raise ConnectionError("the server closed the WebSocket")
        parts.append(payload)
        if final:
            return b"".join(parts)


sock = socket.create_connection(("127.0.0.1", port), timeout=120)
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nX-API-Token: {token}\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    head += sock.recv(1)
if b" 101 " not in head.split(b"\r\n")[0]:
    sys.exit(f"/ws did not upgrade: {head.decode(errors='replace')}")
started = time.perf_counter()
first = read_message(sock)
first_ms = (time.perf_counter() - started) * 1000
waited = time.perf_counter()
later = read_message(sock)
later_s = time.perf_counter() - waited
kind = json.loads(later).get("type")
print(f"/ws first message: {len(first)} bytes (after {first_ms:.0f} ms); a later one ({kind}, {later_s:.1f} s later): {len(later)} bytes")
sock.close()

#!/usr/bin/env python3
"""Structure-aware fuzzing of a live `pulse` server (security campaign, issue 19).

Seeds are real Pulse v5 payloads (the wire-contract fixtures) and, for every other route that
takes a JSON body, a small valid body. Each case mutates one seed the way hostile or broken
clients do: deep nesting, huge and non-finite numbers, "NaN" strings, duplicate keys, invalid
UTF-8, lone surrogates, truncation, wrong types, dropped or exploded fields. Checks:
- the server never crashes and never answers 5xx;
- three sentinel records (host, Docker host, cluster), enrolled by a token the fuzzer never
  uses, are unchanged at the end;
- RSS at the end (after the heap trim has run) is within 10 % of RSS after the warm-up.

Run by scripts/fuzz.sh inside a private network namespace, so no fuzzed URL can reach anything
but this server. Prints 'N passed, N failed' at the end; exits 1 on any failure.
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "AgentProtocolTests", "Fixtures")

REPORT_SEEDS = {
    "/api/agents/host/report": ["host-report-maximal.json", "host-report-minimal.json", "host-report-legacy.json"],
    "/api/agents/docker/report": ["docker-report-maximal.json", "docker-report-minimal.json"],
    "/api/agents/kubernetes/report": ["kubernetes-report-maximal.json", "kubernetes-report-minimal.json"],
}

# Valid bodies for the other JSON routes; routes found in /api/openapi.json without one here
# are fuzzed from an empty object.
BODY_SEEDS = {
    "/api/login": {"username": "admin", "password": "wrong password 1234", "rememberMe": False},
    "/api/security/tokens": {"name": "fuzz", "scopes": ["monitoring:read"]},
    "/api/security/quick-setup": {"username": "admin", "password": "a long enough password", "force": False},
    "/api/security/change-password": {"currentPassword": "x" * 12, "newPassword": "y" * 12},
    "/api/security/reset-lockout": {"identifier": "198.51.100.1"},
    "/api/config/nodes": {"type": "pve", "name": "lab", "host": "https://pve.invalid:8006", "user": "root@pam",
                          "tokenName": "pulse", "tokenValue": "secret", "verifySSL": True},
    "/api/config/export": {"passphrase": "a long enough passphrase"},
    "/api/config/import": {"passphrase": "a long enough passphrase", "data": "AAAA"},
    "/api/alerts/": {"timeThreshold": 10, "guestDefaults": {"cpu": {"trigger": 90, "clear": 80}}},
    "/api/notifications/webhooks": {"name": "hook", "url": "https://hooks.invalid/x", "service": "generic"},
    "/api/notifications/email": {"enabled": False, "server": "smtp.invalid", "port": 587, "from": "a@b.c", "to": ["d@e.f"]},
    "/api/notifications/apprise": {"enabled": False, "mode": "cli", "targets": ["json://localhost"]},
    "/api/agent-install-command": {"type": "host"},
    "/api/setup-script-url": {"type": "pve", "host": "https://pve.invalid:8006"},
    "/api/auto-register": {"type": "pve", "host": "https://pve.invalid:8006", "serverName": "pve",
                           "tokenId": "pulse-monitor@pam!pulse", "tokenValue": "x", "setupCode": "0" * 12},
    "/api/agents/docker/commands/{id}/ack": {"hostId": "h", "status": "completed"},
}

# Never fuzzed: they end the fuzzer's own access or restart nothing useful to test here.
SKIPPED = {"/api/logout"}

NASTY_STRINGS = [
    "NaN", "Infinity", "-Infinity", "1e999", "", " ", "\u0000", "\u2028\u2029", "\ud83d\ude00" * 50,
    "'; DROP TABLE apiToken; --", "$(id)", "`id`", "\r\nX-Injected: 1", "../../../../etc/passwd",
    "%00%0a%0d", "%250A", "A" * 70_000, "\u202e", "null", "true", "{}", "[]",
]
NASTY_NUMBERS = [
    "1e400", "-1e400", "1e-400", "18446744073709551616", "-9223372036854775809", "9223372036854775807",
    "-0", "0.0000000000000000000000001", "123456789012345678901234567890", "1E+2", "-1", "4294967296",
]


class Raw:
    """A JSON fragment emitted as it is (numbers JSON cannot hold, broken text)."""

    def __init__(self, text):
        self.text = text


def encode(value):
    """JSON text that may contain Raw fragments and duplicate keys (lists of pairs)."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, DuplicateKeys):
        return "{" + ",".join(json.dumps(k) + ":" + encode(v) for k, v in value.pairs) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + encode(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value)


class DuplicateKeys:
    def __init__(self, pairs):
        self.pairs = pairs


def paths(value, prefix=()):
    """Every path into the tree, containers included."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value[:8]):
            yield from paths(child, prefix + (index,))


def get(value, path):
    for step in path:
        value = value[step]
    return value


def put(value, path, new):
    if not path:
        return new
    parent = get(value, path[:-1])
    parent[path[-1]] = new
    return value


MAXIMUM_BODY = 4 * 1024 * 1024  # past every route's limit, so the limit is exercised too


def repeat_count(rng, old, counts):
    """How often to repeat `old`: the drawn count, or fewer so the text stays under MAXIMUM_BODY.
    Repeats are written out as text (Raw), so a later mutation cannot multiply them again."""
    size = max(1, len(encode(old)))
    return max(1, min(rng.choice(counts), MAXIMUM_BODY // size))


def mutate_value(rng, old):
    choice = rng.randrange(12)
    if choice == 0:
        return Raw(rng.choice(NASTY_NUMBERS))
    if choice == 1:
        return rng.choice(NASTY_STRINGS)
    if choice == 2:
        return None
    if choice == 3:  # wrong type
        return rng.choice([[], {}, True, "text", 12, -3.5, [None], {"": None}])
    if choice == 4:  # deep nesting
        depth = rng.choice([64, 512, 5000, 50_000])
        return Raw("[" * depth + "]" * depth if rng.random() < 0.5 else '{"a":' * depth + "1" + "}" * depth)
    if choice == 5:  # a big array of the old value
        return Raw("[" + ",".join([encode(old)] * repeat_count(rng, old, [100, 3000])) + "]")
    if choice == 6 and isinstance(old, str):  # lone surrogate / escapes
        return Raw(json.dumps(old)[:-1] + rng.choice(["\\ud800", "\\udfff\\ud800", "\\u0000", "\\x41", "\\"]) + '"')
    if choice == 7 and isinstance(old, (int, float)) and not isinstance(old, bool):
        return Raw(rng.choice(["NaN", "Infinity", "-Infinity", "+1", "01", "1.", ".5", "0x10"]))
    if choice == 8 and isinstance(old, dict) and old:  # duplicate keys with other values
        pairs = list(old.items())
        key = rng.choice(pairs)[0]
        pairs.insert(rng.randrange(len(pairs) + 1), (key, mutate_value(rng, old[key])))
        return DuplicateKeys(pairs)
    if choice == 9 and isinstance(old, dict) and old:  # drop a field
        copy = dict(old)
        copy.pop(rng.choice(list(copy.keys())))
        return copy
    if choice == 10 and isinstance(old, list) and old:
        return Raw("[" + ",".join([encode(item) for item in old] * repeat_count(rng, old, [2, 50])) + "]")
    return rng.choice(NASTY_STRINGS)


def mutate(rng, seed):
    """Bytes of one fuzz case derived from `seed` (a parsed JSON value)."""
    tree = json.loads(json.dumps(seed))
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        candidates = list(paths(tree))
        path = rng.choice(candidates)
        tree = put(tree, path, mutate_value(rng, get(tree, path) if path else tree))
    text = encode(tree).encode("utf-8", "surrogatepass")[: 2 * MAXIMUM_BODY]
    damage = rng.randrange(10)
    if damage == 0 and len(text) > 2:  # truncated
        text = text[: rng.randrange(1, len(text))]
    elif damage == 1:  # invalid UTF-8 inside
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]) + text[at:]
    elif damage == 2:  # trailing garbage or a second document
        text = text + rng.choice([b" x", b"{}", b"\x00", b"]]]"])
    return text


class Client:
    """Keep-alive connections from many loopback source addresses, so per-address rate limits
    do not stop the fuzz before the handlers see it."""

    def __init__(self, port, sources):
        self.port = port
        self.sources = sources
        self.connections = {}

    def request(self, method, path, body=None, headers=None, source=None):
        source = source or random.choice(self.sources)
        for attempt in range(2):
            connection = self.connections.get(source)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(source, 0))
                self.connections[source] = connection
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    self.connections.pop(source, None)
                return response.status, data
            except (http.client.HTTPException, OSError):
                connection.close()
                self.connections.pop(source, None)
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")


def close_all(client):
    for connection in client.connections.values():
        connection.close()
    client.connections.clear()


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def load_seed(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


def purge_fuzz_records(client, admin, keep):
    """Removes what the fuzz created (agent records but the sentinels, Proxmox instances,
    webhooks, tokens not in `keep`), so RSS is compared holding the same things."""
    status, data = client.request("GET", "/api/state", headers={"X-API-Token": admin})
    state = json.loads(data)
    removals = [("hosts", "/api/agents/host/{}"), ("dockerHosts", "/api/agents/docker/hosts/{}?force=true"),
                ("kubernetesClusters", "/api/agents/kubernetes/clusters/{}")]
    removed = 0
    for key, template in removals:
        for item in state.get(key, []):
            ident = item.get("id")
            if ident and (key, ident) not in keep:
                path = template.format(urllib.parse.quote(ident, safe=""))
                status, _ = client.request("DELETE", path, headers={"X-API-Token": admin})
                removed += status == 200
    listings = [("/api/config/nodes", None, "/api/config/nodes/{}"),
                ("/api/notifications/webhooks", None, "/api/notifications/webhooks/{}"),
                ("/api/security/tokens", "tokens", "/api/security/tokens/{}")]
    for listing, field, template in listings:
        status, data = client.request("GET", listing, headers={"X-API-Token": admin})
        if status != 200:
            continue
        items = json.loads(data)
        items = items.get(field, []) if field else items
        for item in items:
            ident = item.get("id")
            if ident and ("token", ident) not in keep:
                status, _ = client.request("DELETE", template.format(urllib.parse.quote(ident, safe="")), headers={"X-API-Token": admin})
                removed += status in (200, 204)
    return removed


def settled_rss(client, admin, server, keep):
    """RSS holding only the sentinels, with no client connection open (each keeps buffers sized
    by the largest body it carried), once freed memory has been handed back: the server purges
    its heap every 10 s and jemalloc lets freed pages decay for 10 s more, so after 32 s (measured:
    +8 % after 12 s, +3 % after 32 s for the same run). FUZZ_DEBUG_RSS=1 prints the breakdown."""
    purge_fuzz_records(client, admin, keep)
    close_all(client)
    time.sleep(float(os.environ.get("FUZZ_SETTLE", "32")))
    if os.environ.get("FUZZ_DEBUG_RSS"):
        print("  rss", {f: rss_kb(server.pid, f) for f in ("VmRSS", "RssAnon", "RssFile", "RssShmem")}, flush=True)
    return rss_kb(server.pid)


def body_routes(client, admin):
    """(method, path) of every route with a JSON body, from the server's OpenAPI document."""
    status, data = client.request("GET", "/api/openapi.json", headers={"X-API-Token": admin})
    routes = []
    if status == 200:
        document = json.loads(data)
        for path, item in document.get("paths", {}).items():
            for method, operation in item.items():
                if method in ("post", "put", "patch") and "requestBody" in operation:
                    routes.append((method.upper(), path))
    else:
        routes = [("POST", path) for path in BODY_SEEDS]
    return [(m, p) for m, p in routes if p not in SKIPPED and p not in REPORT_SEEDS]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pulse", required=True, help="the pulse binary")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--other-routes", type=float, default=0.3, help="share of cases sent to routes other than reports")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    random.seed(args.seed)

    work = tempfile.mkdtemp(prefix="pulse-fuzz-")
    admin = os.urandom(32).hex()
    with open(os.path.join(work, "admin-token"), "w") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(admin)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen(
        [args.pulse, "--data-dir", os.path.join(work, "data"), "--bind-address", "0.0.0.0", "--port", str(port),
         "--api-tokens-file", os.path.join(work, "admin-token"), "--log-level", "error",
         "--max-agents-per-token", "40", "--max-agent-records", "200"],
        stdout=log, stderr=subprocess.STDOUT)
    sources = [f"127.0.{a}.{b}" for a in range(1, 3) for b in range(2, 250)]
    client = Client(port, sources)
    failures = []

    def alive():
        return server.poll() is None

    try:
        for _ in range(300):
            try:
                if client.request("GET", "/api/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        # Sentinels: enrolled by a token the fuzzer never uses.
        status, data = client.request("POST", "/api/security/tokens", body=json.dumps(
            {"name": "sentinel", "scopes": ["host-agent:report", "docker:report", "kubernetes:report"]}).encode(),
            headers={"X-API-Token": admin, "Content-Type": "application/json"})
        sentinel_token = json.loads(data)["token"]
        sentinels = {}
        for path, names in REPORT_SEEDS.items():
            body = load_seed(names[0])
            status, data = client.request("POST", path, body=json.dumps(body).encode(),
                                          headers={"X-API-Token": sentinel_token, "Content-Type": "application/json"})
            if status != 200:
                failures.append(f"sentinel {path} refused: {status} {data[:200]!r}")
            sentinels[path] = json.loads(data)
        status, data = client.request("GET", "/api/state", headers={"X-API-Token": admin})
        before = json.loads(data)
        keep = {(key, item.get("id")) for key in ("hosts", "dockerHosts", "kubernetesClusters") for item in before.get(key, [])}
        status, data = client.request("GET", "/api/security/tokens", headers={"X-API-Token": admin})
        keep |= {("token", item["id"]) for item in json.loads(data).get("tokens", [])}

        def mint_report_tokens():
            """The fuzzer's own report tokens (records per token are bounded, so spread them).
            Removing a token's last record revokes the token, so they are minted again after a purge."""
            minted = []
            for index in range(8):
                status, data = client.request("POST", "/api/security/tokens", body=json.dumps(
                    {"name": f"fuzz-{index}", "scopes": ["host-agent:report", "docker:report", "kubernetes:report"]}).encode(),
                    headers={"X-API-Token": admin, "Content-Type": "application/json"})
                created = json.loads(data)
                minted.append(created["token"])
                keep.add(("token", created["record"]["id"]))
            return minted

        report_tokens = mint_report_tokens()
        others = body_routes(client, admin)
        seeds = {path: [load_seed(name) for name in names] for path, names in REPORT_SEEDS.items()}

        # Long enough for the bounded caches (SQLite pages, rate-limit and lockout tables) to fill.
        warm_up = max(1000, args.cases // 5)
        baseline = None
        statuses = {}
        route_time = {}
        started = time.monotonic()
        for case in range(args.cases):
            if case == warm_up:
                baseline = settled_rss(client, admin, server, keep)
                report_tokens = mint_report_tokens()
            if others and rng.random() < args.other_routes:
                method, path = rng.choice(others)
                seed = BODY_SEEDS.get(path, {})
                url = path.replace("{id}", rng.choice(["x", "0", "%2e%2e", "a" * 300]))
                token = admin
            else:
                path = rng.choice(list(REPORT_SEEDS))
                method, url, seed = "POST", path, rng.choice(seeds[path])
                token = rng.choice(report_tokens)
            body = mutate(rng, seed)
            if args.verbose and case % max(1, args.cases // 10) == 0:
                print(f"  case {case}: RSS {rss_kb(server.pid) / 1024:.1f} MB", flush=True)
            sent = time.monotonic()
            try:
                status, data = client.request(method, url, body=body,
                                              headers={"X-API-Token": token, "Content-Type": "application/json"})
            except OSError as error:
                if not alive():
                    failures.append(f"case {case}: the server died ({method} {url}, {len(body)} bytes)")
                    break
                failures.append(f"case {case}: {method} {url}: {error}")
                continue
            statuses[status] = statuses.get(status, 0) + 1
            route_time[path] = route_time.get(path, 0.0) + time.monotonic() - sent
            if status >= 500:
                failures.append(f"case {case}: {method} {url} answered {status}: {data[:300]!r} for {body[:300]!r}")
                if len(failures) > 20:
                    break
        elapsed = time.monotonic() - started

        if alive():
            final = settled_rss(client, admin, server, keep)
            status, data = client.request("GET", "/api/state", headers={"X-API-Token": admin})
            after = json.loads(data)
            for key, ident in (("hosts", "hostname"), ("dockerHosts", "hostname"), ("kubernetesClusters", "id")):
                old = {item.get(ident): item for item in before.get(key, [])}
                new = {item.get(ident): item for item in after.get(key, []) if (key, item.get("id")) in keep}
                for name, item in old.items():
                    kept = new.get(name)
                    if kept is None:
                        failures.append(f"sentinel {key} {name} is gone")
                        continue
                    for field in ("id", "hostname", "displayName", "cpuUsage", "memory", "containers", "nodes", "pods", "lastSeen"):
                        if field in item and item[field] != kept.get(field):
                            failures.append(f"sentinel {key} {name}: {field} changed from {str(item[field])[:80]} to {str(kept.get(field))[:80]}")
            if any(failure.startswith("sentinel") for failure in failures):
                for key in ("hosts", "dockerHosts", "kubernetesClusters"):
                    print(f"  {key} before: {[(i.get('id'), i.get('hostname'), i.get('lastSeen')) for i in before.get(key, [])]}")
                    print(f"  {key} after:  {[(i.get('id'), i.get('hostname'), i.get('lastSeen')) for i in after.get(key, [])]}")
            growth = (final - baseline) / baseline if baseline else 0
            if args.verbose:
                for path, spent in sorted(route_time.items(), key=lambda item: -item[1])[:5]:
                    print(f"  {path}: {spent:.1f} s")
            print(f"fuzz: {args.cases} cases (seed {args.seed}) in {elapsed:.1f} s, statuses {dict(sorted(statuses.items()))}, "
                  f"RSS {baseline / 1024:.1f} MB after warm-up, {final / 1024:.1f} MB at the end ({growth * 100:+.1f} %)")
            if baseline and growth > 0.10:
                failures.append(f"RSS grew {growth * 100:.1f} % (over 10 %)")
        else:
            failures.append(f"the server exited with status {server.returncode}")
    finally:
        if alive():
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                failures.append("the server did not stop within 20 s of SIGTERM")
        log.close()
        if failures:
            print(f"server log: {os.path.join(work, 'server.log')}")
            with open(os.path.join(work, "server.log")) as handle:
                tail = handle.read()[-3000:]
            print(tail)
        else:
            subprocess.run(["rm", "-rf", work])
    for failure in failures:
        print("FAIL", failure)
    failed_cases = sum(1 for failure in failures if failure.startswith("case "))
    print(f"fuzz: {args.cases - failed_cases} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

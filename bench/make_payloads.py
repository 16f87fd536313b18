#!/usr/bin/env python3
"""Prepares the agent-report benchmark: mints one token per simulated agent through the API and
writes a Lua data file with the request templates wrk cycles through.

Each simulated agent gets a ~3 KB host report and a Docker report with 20 containers. A `@SEQ@`
marker in each body is replaced by wrk with a counter, so every request is a new heartbeat (the
server skips exact repeats, which would flatter the figures).
"""
import http.client
import json
import os
import ssl
import sys

host, port, admin_token, agents, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]


def mint(conn, name, scopes):
    body = json.dumps({"name": name, "scopes": scopes})
    conn.request("POST", "/api/security/tokens", body, {"X-API-Token": admin_token, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit(f"minting a token failed: {response.status} {data[:200]!r}")
    return json.loads(data)["token"]


def host_report(index):
    disks = [{"device": f"/dev/nvme0n1p{d}", "mountpoint": m, "filesystem": "ext4", "type": "ext4",
              "totalBytes": 500_107_862_016, "usedBytes": 120_000_000_000 + d, "freeBytes": 380_107_862_016, "usage": 24.0}
             for d, m in enumerate(["/", "/var", "/home", "/srv", "/var/lib/vz", "/mnt/backup"])]
    return {
        "agent": {"id": f"bench-agent-{index}", "version": "5.1.36", "type": "unified", "intervalSeconds": 30, "hostname": f"bench-{index}"},
        "host": {"id": f"bench-host-{index}", "hostname": f"bench-{index}.lab.example", "machineId": f"{index:032x}",
                 "platform": "linux", "osName": "Debian GNU/Linux", "osVersion": "12 (bookworm)", "kernelVersion": "6.1.0-18-amd64",
                 "architecture": "amd64", "cpuModel": "AMD Ryzen 7 5800X 8-Core Processor", "cpuCount": 16, "uptimeSeconds": 86400,
                 "loadAverage": [0.42, 0.38, 0.31]},
        "metrics": {"cpuUsagePercent": 12.5, "memory": {"totalBytes": 33_554_432_000, "usedBytes": 12_884_901_888,
                    "freeBytes": 20_669_530_112, "usage": 38.4, "swapTotalBytes": 8_589_934_592, "swapUsedBytes": 0}},
        "disks": disks,
        "diskIO": [{"device": name, "readBytes": 9_000_000_000, "writeBytes": 12_000_000_000, "readOps": 700_000,
                    "writeOps": 900_000, "readTimeMs": 120_000, "writeTimeMs": 340_000, "ioTimeMs": 410_000} for name in ["nvme0n1", "sda"]],
        "network": [{"name": name, "mac": "52:54:00:12:34:56", "addresses": ["192.0.2.10/24", "2001:db8::10/64"],
                     "rxBytes": 88_000_000_000, "txBytes": 41_000_000_000, "speedMbps": 1000} for name in ["eno1", "vmbr0"]],
        "sensors": {"temperatureCelsius": {"cpu_package": 48.0, "cpu_core_0": 46.0, "cpu_core_1": 47.0, "cpu_core_2": 45.0,
                                           "cpu_core_3": 49.0, "nvme0": 38.9},
                    "fanRpm": {"cpu_fan": 1200.0}, "powerWatts": {"cpu_package": 35.2},
                    "smart": [{"device": "/dev/nvme0n1", "model": "Samsung SSD 980 PRO 1TB", "serial": "S5GXNX0T123456",
                               "type": "nvme", "temperature": 39, "health": "PASSED",
                               "attributes": {"powerOnHours": 8123, "powerCycles": 312, "percentageUsed": 3,
                                              "availableSpare": 100, "mediaErrors": 0, "unsafeShutdowns": 21}}]},
        "tags": ["bench", "lab"],
        "timestamp": "2025-06-15T12:00:00Z",
        "sequenceId": "@SEQ@",
    }


def docker_report(index):
    containers = [{
        "id": f"{index:08x}{c:056x}", "name": f"svc-{c}", "image": "registry.example/app:1.4.2", "createdAt": "2025-06-01T10:00:00Z",
        "state": "running", "status": "Up 14 days", "health": "healthy", "cpuPercent": CPU_MARK, "memoryUsageBytes": MEMORY_MARK,
        "memoryLimitBytes": 1_073_741_824, "memoryPercent": 14.6, "uptimeSeconds": UPTIME_MARK, "restartCount": 0, "exitCode": 0,
        "startedAt": "2025-06-01T10:00:02Z", "ports": [{"privatePort": 8080, "publicPort": 18000 + c, "protocol": "tcp", "ip": "0.0.0.0"}],
        "labels": {"com.docker.compose.project": "stack", "com.docker.compose.service": f"svc-{c}"},
        "networks": [{"name": "stack_default", "ipv4": f"172.18.0.{c + 2}"}],
        "blockIo": {"readBytes": 10_485_760, "writeBytes": 52_428_800}} for c in range(20)]
    return {
        "agent": {"id": f"bench-daemon-{index}", "version": "5.1.36", "type": "unified", "intervalSeconds": 30},
        "host": {"hostname": f"bench-{index}.lab.example", "machineId": f"{index:032x}", "runtime": "docker", "runtimeVersion": "27.1.1",
                 "dockerVersion": "27.1.1", "totalCpu": 16, "totalMemoryBytes": 33_554_432_000, "uptimeSeconds": 86400,
                 "memory": {"totalBytes": 33_554_432_000, "usedBytes": 12_884_901_888}},
        "containers": containers,
        "timestamp": "2025-06-15T12:00:@SEQ@Z",
    }


# In the "moving" Docker report every container's CPU, memory and uptime differ from one heartbeat
# to the next (as a real agent's do); in the plain one only the report's timestamp does.
CPU_MARK, MEMORY_MARK, UPTIME_MARK = 2.5, 157_286_400, 1_209_600
MOVING = {'"cpuPercent":2.5': '"cpuPercent":2.@VAR@5', '"memoryUsageBytes":157286400': '"memoryUsageBytes":15728640@VAR@',
          '"uptimeSeconds":1209600': '"uptimeSeconds":120960@VAR@'}


def moving(body):
    for fixed, varying in MOVING.items():
        assert fixed in body, fixed
        body = body.replace(fixed, varying)
    return body


def lua_string(text):
    return "[==[" + text + "]==]"


# Minting is a settings write, limited per client address (30 a minute). Loopback accepts any
# 127.0.0.0/8 source, so each batch of tokens is minted from an address of its own, as a fleet's
# installers would be, instead of waiting out the limit or switching it off.
MINTS_PER_ADDRESS = 20


# PULSE_BENCH_TLS=1: the server speaks HTTPS with the benchmark's own self-signed certificate.
USE_TLS = os.environ.get("PULSE_BENCH_TLS") == "1"


def connection_for(mint_index):
    source = None
    if host.startswith("127."):
        slot = mint_index // MINTS_PER_ADDRESS
        source = (f"127.{100 + slot // 250}.{slot % 250 + 1}.1", 0)
    if USE_TLS:
        return http.client.HTTPSConnection(host, port, source_address=source, context=ssl._create_unverified_context())
    return http.client.HTTPConnection(host, port, source_address=source)


lines = ["agents = {"]
host_size = docker_size = 0
conn = None
for index in range(agents):
    if index % (MINTS_PER_ADDRESS // 2) == 0:
        if conn is not None:
            conn.close()
        conn = connection_for(index * 2)
    host_token = mint(conn, f"bench host {index}", ["host-agent:report"])
    docker_token = mint(conn, f"bench docker {index}", ["docker:report"])
    host_body = json.dumps(host_report(index), separators=(",", ":"))
    docker_body = json.dumps(docker_report(index), separators=(",", ":"))
    host_size, docker_size = len(host_body), len(docker_body)
    host_before, host_after = host_body.split("@SEQ@")
    docker_before, docker_after = docker_body.split("@SEQ@")
    moving_before, moving_after = moving(docker_body).split("@SEQ@")
    lines.append("{ host_token = %s, docker_token = %s, host = {%s, %s}, docker = {%s, %s}, moving = {%s, %s} }," % (
        lua_string(host_token), lua_string(docker_token), lua_string(host_before), lua_string(host_after),
        lua_string(docker_before), lua_string(docker_after), lua_string(moving_before), lua_string(moving_after)))
lines.append("}")
with open(out_path, "w") as out:
    out.write("\n".join(lines) + "\n")
# One body of each kind as sent, for `pulse bench-decode`.
for kind, body in (("host", host_body), ("docker", docker_body)):
    with open(f"{out_path}.{kind}.json", "w") as out:
        out.write(body.replace("@SEQ@", "01"))
print(f"prepared {agents} agents: host report {host_size} bytes, docker report {docker_size} bytes")
